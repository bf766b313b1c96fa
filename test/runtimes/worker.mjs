// Conformance harness for Cloudflare's workerd: a Worker module that imports the package by name
// and the golden vectors as JSON; workerd.mjs bundles it (esbuild) and serves it. GET / runs the
// subset and answers { passed, failed, failures }.
import * as lib from 'agora-access-token2';
import * as compat from 'agora-access-token2/compat';
import { loadVectors, runConformance } from './conformance.mjs';
import builders from './golden/accesstoken2-builders.json';
import services from './golden/accesstoken2-services.json';
import convoaiStt from './golden/accesstoken2-convoai-stt.json';
import token006 from './golden/accesstoken-006.json';
import decode from './golden/accesstoken2-decode.json';
import invalid from './golden/accesstoken2-invalid.json';

const files = {
  'accesstoken2-builders.json': builders,
  'accesstoken2-services.json': services,
  'accesstoken2-convoai-stt.json': convoaiStt,
  'accesstoken-006.json': token006,
  'accesstoken2-decode.json': decode,
  'accesstoken2-invalid.json': invalid,
};

export default {
  async fetch() {
    const vectors = await loadVectors((name) => files[name]);
    return Response.json(runConformance(lib, vectors, { randomSource: 'present', compat }));
  },
};
