// lookup.mjs fetches each argument (an object URL) with
// Fedify's lookupObject and prints one JSON line per object: its type and
// the fields a peer relies on. federation/fedify_test.go runs it against a
// Maillage instance on loopback and checks the output.
//
// JSON-LD contexts resolve offline, and only the ActivityStreams and
// security contexts may be named by URL (contexts.mjs).
//
// Usage: node lookup.mjs URL ...
// Exit status: 0 when every object parsed, 1 otherwise.

import {
  Event,
  getDocumentLoader,
  Group,
  lookupObject,
  Object as ASObject,
  Place,
} from "@fedify/fedify";
import { maillageContextLoader } from "./contexts.mjs";

const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
const options = { documentLoader, contextLoader: maillageContextLoader };

function str(v) {
  return v == null ? null : v.toString();
}

async function describe(o) {
  const out = {
    type: o.constructor.name,
    id: str(o.id),
    name: str(o.name),
    attributedTo: str(o.attributionId),
    url: str(o.url instanceof URL ? o.url : o.url?.href),
    to: o.toIds.map(String),
    cc: o.ccIds.map(String),
    published: str(o.published),
    updated: str(o.updated),
    summary: str(o.summary),
    content: str(o.content),
  };
  if (o instanceof Group) {
    const key = await o.getPublicKey(options);
    Object.assign(out, {
      preferredUsername: str(o.preferredUsername),
      inbox: str(o.inboxId),
      outbox: str(o.outboxId),
      followers: str(o.followersId),
      sharedInbox: str(o.endpoints?.sharedInbox),
      publicKey: key && {
        id: str(key.id),
        owner: str(key.ownerId),
        algorithm: key.publicKey?.algorithm?.name ?? null,
        modulusLength: key.publicKey?.algorithm?.modulusLength ?? null,
      },
    });
  }
  if (o instanceof Place) {
    Object.assign(out, { latitude: o.latitude, longitude: o.longitude });
  }
  if (o instanceof Event) {
    const loc = await o.getLocation(options);
    Object.assign(out, {
      startTime: str(o.startTime),
      endTime: str(o.endTime),
      location: loc && {
        type: loc.constructor.name,
        id: str(loc.id),
        name: str(loc.name),
        latitude: loc instanceof Place ? loc.latitude : null,
        longitude: loc instanceof Place ? loc.longitude : null,
      },
    });
  }
  return out;
}

let failed = false;
for (const arg of process.argv.slice(2)) {
  try {
    const o = await lookupObject(arg, options);
    if (o == null) {
      // lookupObject hides why; parse the document again to say it.
      const { document } = await documentLoader(arg);
      await ASObject.fromJsonLd(document, options);
      throw new Error("lookupObject returned null, but the document parses");
    }
    console.log(JSON.stringify({ lookup: arg, ...(await describe(o)) }));
  } catch (err) {
    failed = true;
    console.log(JSON.stringify({ lookup: arg, error: String(err?.stack ?? err) }));
  }
}
process.exit(failed ? 1 : 0);
