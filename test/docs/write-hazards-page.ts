/** `npm run docs:hazards`: writes docs/hazards.md from the code (see hazards-page.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../support/paths.js';
import { renderHazardsPage } from './hazards-page.js';

const target = join(projectRoot, 'docs/hazards.md');
writeFileSync(target, await renderHazardsPage());
process.stdout.write(`wrote ${target}\n`);
