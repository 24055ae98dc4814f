// contexts.mjs holds the JSON-LD context loaders of the scripts. Neither
// goes to the network: contexts come from the copies preloaded in Fedify.

import { getDocumentLoader } from "@fedify/fedify";

const preloaded = getDocumentLoader(); // answers preloaded contexts without fetching

// The contexts Fedify 1.5.9 preloads (src/runtime/contexts.ts); Fedify's
// own documents use several of them.
const fedifyContexts = new Set([
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  "https://w3id.org/security/data-integrity/v1",
  "https://www.w3.org/ns/did/v1",
  "https://w3id.org/security/multikey/v1",
  "https://w3id.org/identity/v1",
  "https://purl.archive.org/socialweb/webfinger",
  "http://schema.org/",
  "https://gotosocial.org/ns",
]);

// The only contexts Maillage may reference by URL: it defines every other
// term inline.
const maillageContexts = new Set([
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
]);

function loaderOf(allowed) {
  return async (url) => {
    if (!allowed.has(url)) {
      throw new Error(`context ${url} does not resolve offline`);
    }
    return await preloaded(url);
  };
}

// maillageContextLoader loads the contexts a Maillage document may name.
export const maillageContextLoader = loaderOf(maillageContexts);

// offlineContextLoader loads any context Fedify has preloaded.
export const offlineContextLoader = loaderOf(fedifyContexts);
