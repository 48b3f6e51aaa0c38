// Corpus case: sqldef/tests_dependency_ordering/TypeBeforeDomain_DomainType
import { domain, enumType } from '../../../../src/index.js';

export const color = enumType('color', ['red', 'green', 'blue']);

export const primaryColor = domain('primary_color', color());
