import { enumType } from 'keikaku';

export const staffRole = enumType('staff_role', ['owner', 'manager', 'employee']);
export const planStatus = enumType('support_plan_status', ['draft', 'active', 'completed', 'cancelled']);
export const billingStatus = enumType('billing_status', ['trialing', 'active', 'past_due', 'canceled']);
