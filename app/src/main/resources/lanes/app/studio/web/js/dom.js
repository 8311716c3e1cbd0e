// Small DOM helpers shared by every view: el() builds an element, fmt() formats numbers as the read-outs show them.

/** el('div', {class: 'x', 'data-testid': 'y', onclick: f}, child, 'text', ...) */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** A number for a read-out: 3 significant digits, '-' for null/NaN. */
export function fmt(v, digits = 3) {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** 12345 -> "12,345" */
export function count(v) {
  return v === null || v === undefined ? '-' : Math.round(v).toLocaleString('en-US');
}

/** A labelled control row: <label>text <control></label>, with an optional hint under it. */
export function field(label, control, hint) {
  return el('label', {class: 'field'}, el('span', {class: 'field-label'}, label), control,
      hint ? el('small', {class: 'hint'}, hint) : null);
}

/** Decodes a base64 string of bytes. */
export function bytes(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
