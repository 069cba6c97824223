// Files in the conversation, for both pages: sending one (a paperclip, drag and drop, pasting an image) with its
// upload progress, and showing one: images as thumbnails, other files as cards with name and size. Names are text.
import { h } from './dom.js';

const FILE_PATH = '/api/v1/Parley/Attachments/File/';
const IMAGE_NAME = /\.(png|jpe?g|gif|webp|bmp)$/i;

/** Whether a message is a file Parley keeps (SpecialType Url with a Parley download path). */
export const isFileMessage = (m) => m.SpecialType === 'Url' && typeof m.SpecialParam === 'string' && m.SpecialParam.startsWith(FILE_PATH);

const readableSize = (n) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** A file message's body: a thumbnail for an image (a card should it not load), else a card; `href` downloads it. */
export function fileView(m, href) {
  const card = () => {
    const size = h('span', { class: 'file-size' });
    // The size is the download's length: asked for without downloading it.
    fetch(href, { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' })
      .then((r) => { const n = Number(r.headers.get('content-length')); if (r.ok && n) size.textContent = readableSize(n); })
      .catch(() => {});
    return h('a', { class: 'file-card', href, download: m.Message, rel: 'noopener' }, h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📄'),
      h('span', { class: 'file-name' }, m.Message), size);
  };
  if (!IMAGE_NAME.test(m.Message)) return card();
  const img = h('img', { class: 'file-thumb', src: href, alt: m.Message, loading: 'lazy' });
  const link = h('a', { class: 'file-image', href, target: '_blank', rel: 'noopener' }, img);
  img.addEventListener('error', () => link.replaceWith(card()));
  return link;
}

/** Sends one file as the request body; `onProgress(fraction)` as it goes. Resolves with the answer, rejects with its message. */
export function uploadFile(url, file, headers, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries({ ...headers, 'Content-Type': file.type || 'application/octet-stream', 'X-File-Name': encodeURIComponent(file.name || 'pasted image'), Accept: 'application/json' })) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(Object.assign(new Error(data?.ErrorMessage ?? `The file was not sent (${xhr.status})`), { status: xhr.status }));
    });
    xhr.addEventListener('error', () => reject(new Error('The file was not sent: the connection failed')));
    xhr.send(file);
  });
}

/**
 * The ways a file is given: a paperclip (returned, to place in the composer), dropping files on `dropZone`, pasting
 * an image into `input`. `send(file)` is called for each; `progress` shows what is under way.
 */
export function fileInputs(dropZone, input, send) {
  const picker = h('input', { type: 'file', hidden: true, multiple: true, 'aria-label': 'Attach a file' });
  const clip = h('button', { type: 'button', class: 'attach', title: 'Attach a file', 'aria-label': 'Attach a file', onclick: () => picker.click() }, '📎');
  picker.addEventListener('change', () => { for (const f of picker.files) send(f); picker.value = ''; });
  dropZone.addEventListener('dragover', (e) => { if (e.dataTransfer?.types.includes('Files')) { e.preventDefault(); dropZone.classList.add('dropping'); } });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dropping'));
  dropZone.addEventListener('drop', (e) => {
    dropZone.classList.remove('dropping');
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    for (const f of e.dataTransfer.files) send(f);
  });
  input.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
    if (!files.length) return;
    e.preventDefault();
    for (const f of files) send(f);
  });
  return h('span', { class: 'attach-wrap' }, clip, picker);
}

/** A line showing one upload under way: "name 45%", with a progress bar. */
export function progressLine(name) {
  const bar = h('progress', { max: '1', value: '0' });
  const el = h('div', { class: 'upload', role: 'status' }, h('span', {}, `Sending ${name}…`), bar);
  return { el, set: (f) => { bar.value = f; }, done: () => el.remove() };
}
