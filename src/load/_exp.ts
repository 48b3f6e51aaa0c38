import { pathToFileURL } from 'node:url';
export const loadIt = async (file: string): Promise<unknown> => {
  const { register } = await import('tsx/esm/api');
  const cjs = await import('tsx/cjs/api');
  register();
  cjs.register();
  return import(pathToFileURL(file).href);
};
