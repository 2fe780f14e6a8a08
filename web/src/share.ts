// Share links: the text, deflated by the browser's CompressionStream and base64url-encoded, in
// the URL fragment (`#yaml=…`), which browsers never send to a server.

const KEY = "yaml=";

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s: string): Uint8Array {
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

/** The fragment that holds `text`. */
export async function shareFragment(text: string): Promise<string> {
  const z = await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
  return `#${KEY}${toBase64Url(z)}`;
}

/** The text a fragment holds; `null` when it holds none; an error when it is damaged. */
export async function readFragment(hash: string): Promise<string | null> {
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  if (!h.startsWith(KEY)) return null;
  const z = await pipe(fromBase64Url(h.slice(KEY.length)), new DecompressionStream("deflate-raw"));
  return new TextDecoder("utf-8", { fatal: false }).decode(z);
}
