import { cov } from './trees';
import { zlibDeflate } from './deflate';
import { makeRng, skewed } from '../../test/support/deflate-payloads';
const rng = makeRng(1);
let found = 0;
for (let i = 0; i < 3000 && found < 3; i++) {
  const n = 2000 + (rng() % 14383);
  const b = skewed(rng, n);
  const before = cov['overflow_15'] ?? 0;
  zlibDeflate(b);
  if ((cov['overflow_15'] ?? 0) > before) { found++; console.log('found', i, n); }
}
console.log(JSON.stringify(cov));
