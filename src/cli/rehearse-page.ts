export const rehearsalPage = (..._a: unknown[]): string => { throw new Error('not yet'); };
