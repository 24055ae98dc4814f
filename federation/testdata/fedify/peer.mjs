// peer.mjs is a small ActivityPub server built with Fedify: one Person
// actor, "peer", with an RSA key pair, served over plain HTTP on loopback.
// It follows the Maillage actor given as argument, then prints one JSON
// line per activity its inbox accepts, and exits 0 once it has received a
// Create. federation/fedify_test.go drives it.
//
// Fedify verifies the HTTP signature of every POST to the inbox and answers
// 401 when it cannot; an activity reaches the listeners below only once
// verified. Each line also names the key that signed the request, checked
// again here with Fedify's verifyRequest.
//
// Usage: node peer.mjs ACTOR_URL [TIMEOUT_SECONDS]
// Output, one JSON object a line:
//   {"event":"listening","actor":URL}
//   {"event":"followed","follow":URL,"object":URL}
//   {"event":"received","type":"Accept"|"Create",...,"signedBy":KEY_ID}
//   {"event":"refused","status":N,"body":TEXT}   an inbox POST Fedify refused
// Exit status: 0 after a Create, 1 on an error, 2 on time-out.

import http from "node:http";
import {
  Accept,
  Create,
  createFederation,
  Endpoints,
  Event,
  Follow,
  generateCryptoKeyPair,
  getDocumentLoader,
  Group,
  MemoryKvStore,
  Person,
  Place,
  verifyRequest,
} from "@fedify/fedify";
import { offlineContextLoader } from "./contexts.mjs";

const [target, timeoutArg] = process.argv.slice(2);
if (target == null) {
  console.error("usage: node peer.mjs ACTOR_URL [TIMEOUT_SECONDS]");
  process.exit(1);
}
const timeout = Number(timeoutArg ?? 25) * 1000;
const identifier = "peer";

function print(line) {
  console.log(JSON.stringify(line));
}

function fail(err) {
  print({ event: "error", error: String(err?.stack ?? err) });
  process.exit(1);
}

const timer = setTimeout(() => {
  print({ event: "timeout" });
  process.exit(2);
}, timeout);

const keyPair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");

const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true, // Maillage runs on 127.0.0.1
  contextLoaderFactory: () => offlineContextLoader,
  skipSignatureVerification: false, // the default, stated: verify every inbox POST
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, id) => {
    if (id !== identifier) return null;
    const keys = await ctx.getActorKeyPairs(id);
    return new Person({
      id: ctx.getActorUri(id),
      preferredUsername: id,
      name: "Fedify peer",
      inbox: ctx.getInboxUri(id),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, id) => (id === identifier ? [keyPair] : []));

let gotCreate = false;

function describeObject(o) {
  if (o == null) return null;
  const out = { type: o.constructor.name, id: o.id?.href ?? null, name: o.name?.toString() ?? null };
  if (o instanceof Event) {
    out.startTime = o.startTime?.toString() ?? null;
    out.endTime = o.endTime?.toString() ?? null;
    out.content = o.content?.toString() ?? null;
    out.locationId = o.locationId?.href ?? null;
  }
  if (o instanceof Place) {
    out.latitude = o.latitude;
    out.longitude = o.longitude;
  }
  return out;
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, async (ctx, accept) => {
    print({
      event: "received",
      type: "Accept",
      id: accept.id?.href ?? null,
      actor: accept.actorId?.href ?? null,
      object: accept.objectId?.href ?? null,
      signedBy: ctx.data.signedBy,
    });
  })
  .on(Create, async (ctx, create) => {
    // The object is embedded; getObject parses it (its location too)
    // without fetching anything.
    const object = await create.getObject({ contextLoader: offlineContextLoader });
    const location = object instanceof Event ? await object.getLocation({ contextLoader: offlineContextLoader }) : null;
    print({
      event: "received",
      type: "Create",
      id: create.id?.href ?? null,
      actor: create.actorId?.href ?? null,
      object: describeObject(object),
      location: describeObject(location),
      signedBy: ctx.data.signedBy,
    });
    gotCreate = true;
  })
  .onError(async (_ctx, err) => {
    print({ event: "inbox-error", error: String(err?.stack ?? err) });
  });

const documentLoader = getDocumentLoader({ allowPrivateAddress: true });

// toRequest turns a Node request into a Fetch API Request.
async function toRequest(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
}

const server = http.createServer(async (req, res) => {
  try {
    const request = await toRequest(req);
    let signedBy = null;
    if (request.method === "POST") {
      const key = await verifyRequest(request.clone(), {
        documentLoader,
        contextLoader: offlineContextLoader,
      });
      signedBy = key?.id?.href ?? null;
    }
    const response = await federation.fetch(request, {
      contextData: { signedBy },
      onNotFound: () => new Response("Not found", { status: 404 }),
      onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
    });
    if (request.method === "POST" && !response.ok) {
      print({ event: "refused", status: response.status, body: await response.clone().text() });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()), () => {
      if (gotCreate) process.exit(0); // stdout is a pipe, written synchronously
    });
  } catch (err) {
    res.writeHead(500).end();
    fail(err);
  }
});

server.listen(0, "127.0.0.1", async () => {
  try {
    const origin = `http://127.0.0.1:${server.address().port}`;
    const ctx = federation.createContext(new URL(origin), { signedBy: null });
    const actor = ctx.getActorUri(identifier);
    print({ event: "listening", actor: actor.href });

    const group = await ctx.lookupObject(target);
    if (!(group instanceof Group)) {
      throw new Error(`${target} is ${group?.constructor.name ?? "not found"}; want a Group`);
    }
    const follow = new Follow({
      id: new URL(`/follows/${crypto.randomUUID()}`, origin),
      actor,
      object: group.id,
    });
    // Without a message queue, sendActivity delivers at once and throws
    // when the inbox refuses.
    await ctx.sendActivity({ identifier }, group, follow);
    print({ event: "followed", follow: follow.id.href, object: group.id.href });
  } catch (err) {
    fail(err);
  }
});
