'use strict';
/**
 * The gRPC front of a running AWS provider (`ProviderServer`, offline.ts): every call is passed to the
 * provider as it is, except GetSchema (tfplugin5 GetProviderSchema), answered from the provider's first
 * answer, with only the resource and data source types that the attached configurations name.
 *
 * Why: the provider's schema has ~1,500 resource and ~600 data source types. Each Terraform command
 * asks for it once and decodes all of it: ~1.2 s of Terraform's CPU per command, and ~0.5 s of the
 * provider's to encode it again (measured, docs/testing.md). With only the types a configuration names,
 * a validate takes 0.1 s and a plan 0.2 s. Terraform still checks every type it uses against the
 * provider's own schema for it; a type left out fails the command ("does not support resource type").
 *
 *     node provider-proxy.js <provider socket> <own socket> <types file> <ready file>
 *
 * The types file holds one type name a line, appended as configurations come (offline.ts, `needTypes`);
 * it only grows, so any command is answered a superset of what it needs. "ready" is written to the
 * ready file once the socket listens. The front ends when the provider's connection does.
 */
const fs = require('node:fs');
const http2 = require('node:http2');
const net = require('node:net');

const [providerSocket, ownSocket, typesFile, readyFile] = process.argv.slice(2);
const GET_SCHEMA = '/tfplugin5.Provider/GetSchema';
/** GetProviderSchema.Response fields that map a type name to its schema: resource_schemas, data_source_schemas. */
const TYPE_MAPS = new Set([2, 3]);

const provider = http2.connect('http://provider', { createConnection: () => net.connect(providerSocket) });
provider.on('error', () => process.exit(0));
provider.on('close', () => process.exit(0));

function readVarint(buffer, offset) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = buffer[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, offset];
  }
}

/** A protobuf message's fields, each with its raw bytes' bounds: { field, wire, start, valueStart, end }. */
function fields(buffer) {
  const result = [];
  let offset = 0;
  while (offset < buffer.length) {
    const start = offset;
    let tag;
    [tag, offset] = readVarint(buffer, offset);
    const wire = tag & 7;
    let valueStart = offset;
    if (wire === 0) [, offset] = readVarint(buffer, offset);
    else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else if (wire === 2) {
      let length;
      [length, valueStart] = readVarint(buffer, offset);
      offset = valueStart + length;
    } else throw new Error(`unexpected protobuf wire type ${wire}`);
    result.push({ field: Math.floor(tag / 8), wire, start, valueStart, end: offset });
  }
  return result;
}

/** The response message with only the type map entries whose name is in `types`; everything else as it was. */
function withTypes(message, types) {
  const parts = [];
  for (const part of fields(message)) {
    if (part.wire === 2 && TYPE_MAPS.has(part.field)) {
      const entry = message.subarray(part.valueStart, part.end);
      const key = fields(entry).find((field) => field.field === 1 && field.wire === 2);
      if (!key || !types.has(entry.subarray(key.valueStart, key.end).toString('utf8'))) continue;
    }
    parts.push(message.subarray(part.start, part.end));
  }
  return Buffer.concat(parts);
}

/** The provider's own answer to GetSchema: headers, body (one gRPC frame), trailers. */
let schema;
/** The last answer made from it, and the number of types it was made for (the file only grows). */
let answer = { size: -1 };

function readTypes() {
  try {
    return new Set(fs.readFileSync(typesFile, 'utf8').split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}

function schemaAnswer() {
  const types = readTypes();
  if (answer.size === types.size) return answer;
  const { body } = schema;
  // uncompressed, one frame: anything else goes out as the provider gave it
  if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return { ...schema, size: types.size };
  const message = withTypes(body.subarray(5), types);
  const frame = Buffer.alloc(5);
  frame.writeUInt32BE(message.length, 1);
  answer = { ...schema, body: Buffer.concat([frame, message]), size: types.size };
  return answer;
}

function respond(stream, { headers, body, trailers }) {
  stream.respond(headers, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers(trailers));
  stream.end(body);
}

/** The same call to the provider: the request's body passed on, the streams closed together. */
function toProvider(stream, headers) {
  const { ':authority': _authority, ':scheme': _scheme, ...forwarded } = headers;
  const call = provider.request(forwarded);
  stream.pipe(call);
  stream.on('close', () => call.close());
  stream.on('error', () => call.close(http2.constants.NGHTTP2_CANCEL));
  call.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
  return call;
}

const server = http2.createServer();
server.on('stream', (stream, headers) => {
  if (headers[':path'] === GET_SCHEMA && schema) {
    stream.resume();
    respond(stream, schemaAnswer());
    return;
  }
  const call = toProvider(stream, headers);
  let trailers;
  call.on('trailers', (received) => (trailers = received));
  if (headers[':path'] === GET_SCHEMA) {
    // the first GetSchema: kept whole when it succeeded, and answered filtered
    let responseHeaders;
    const chunks = [];
    call.on('response', (received) => (responseHeaders = received));
    call.on('data', (chunk) => chunks.push(chunk));
    call.on('end', () => {
      const received = { headers: responseHeaders, body: Buffer.concat(chunks), trailers };
      if (!trailers) {
        // a trailers-only answer (an error): its headers end the stream
        stream.respond(responseHeaders, { endStream: true });
        return;
      }
      if (String(trailers['grpc-status']) !== '0' || received.body.length === 0) {
        respond(stream, received);
        return;
      }
      schema = received;
      respond(stream, schemaAnswer());
    });
    return;
  }
  call.on('response', (received) => {
    if (received['grpc-status'] !== undefined) {
      // a trailers-only answer (an error): its headers end the stream
      stream.respond(received, { endStream: true });
      return;
    }
    stream.respond(received, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers ?? { 'grpc-status': '0' }));
    call.pipe(stream);
  });
});
server.listen(ownSocket, () => fs.writeFileSync(readyFile, 'ready\n'));
