// A map tile server for scripts/lighthouse.sh: every path answers the same
// 256×256 light grey PNG, so that the pages' maps draw without any request
// leaving the machine. Usage: node tiles.mjs PORT (listens on 127.0.0.1).
import http from 'node:http';
import zlib from 'node:zlib';

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const size = 256;
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 0; // greyscale
const rows = Buffer.alloc(size * (size + 1), 0xe8);
for (let y = 0; y < size; y++) rows[y * (size + 1)] = 0; // filter: none
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows, {level: 9})), chunk('IEND', Buffer.alloc(0)),
]);

http.createServer((req, res) => {
  res.writeHead(200, {'Content-Type': 'image/png', 'Content-Length': png.length,
    'Cache-Control': 'public, max-age=86400', 'Access-Control-Allow-Origin': '*'});
  res.end(png);
}).listen(Number(process.argv[2]), '127.0.0.1');
