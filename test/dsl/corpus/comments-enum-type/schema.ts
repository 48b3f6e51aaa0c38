// Corpus case: sqldef/tests_comments/CommentOnType
import { enumType } from '../../../../src/index.js';

export const statusType = enumType({ name: 'status_type', comment: 'Status enumeration type' }, ['active', 'inactive']);
