// Corpus case: sqldef/tests_comments/CommentOnDomain
import { domain, text } from '../../../../src/index.js';

export const email = domain('email', text(), { comment: 'Email address domain' });
