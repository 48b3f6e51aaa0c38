// Preloaded with `node --import` when /usr/bin/time is missing: writes the process's peak RSS (KiB) at exit to the
// file named by KKBENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.KKBENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
