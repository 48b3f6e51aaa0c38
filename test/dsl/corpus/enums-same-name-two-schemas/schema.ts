// Corpus case: sqldef/tests_types/AlterTypeAddValueWithSameTypeNameInDifferentSchema
import { schema } from '../../../../src/index.js';

export const schema1 = schema('schema1');
export const schema2 = schema('schema2');

export const lang1 = schema1.enumType('lang', ['ja', 'en']);
export const lang2 = schema2.enumType('lang', ['ja', 'en', 'de']);
