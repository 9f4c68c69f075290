// Runs Lighthouse on several pages, one after the other, in the Chromium already
// listening on --port (tests/lighthouse/run.py starts it and reads the results).
//
//   node tests/lighthouse/audit.mjs < jobs.json
//
// jobs.json: {"port": 9222, "headers": {...}, "categories": [...],
//             "jobs": [{"url": ..., "formFactor": "mobile"|"desktop", "output": path}, ...]}
// Each report is written to its job's output; one line of JSON per job goes to
// stdout as it finishes: {"output": path} or {"output": path, "error": message}.
// A run whose trace failed is run once more. One Node process and one browser
// for every page: Lighthouse's modules (about 2 s to load) and Chromium start
// once, not once per page.
import {readFileSync, writeFileSync} from 'node:fs';

import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const {port, headers, categories, jobs} = JSON.parse(readFileSync(0, 'utf8'));

for (const job of jobs) {
  const flags = {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: categories,
    extraHeaders: headers,
    disableFullPageScreenshot: true,
  };
  try {
    const config = job.formFactor === 'desktop' ? desktopConfig : undefined;
    let result = await lighthouse(job.url, flags, config);
    // A trace Chromium failed to record (NO_NAVSTART, NO_FCP on a busy machine):
    // once more before it counts as the page's failure.
    if (result && result.lhr.runtimeError) result = await lighthouse(job.url, flags, config);
    if (!result) throw new Error('Lighthouse returned no result');
    writeFileSync(job.output, result.report);
    console.log(JSON.stringify({output: job.output}));
  } catch (error) {
    console.log(JSON.stringify({output: job.output, error: String(error && error.stack || error)}));
  }
}
