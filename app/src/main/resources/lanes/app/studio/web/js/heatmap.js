// Grids of values as pictures: the playground's orange-white-blue scale, class colours, and grey images.

/** TensorFlow Playground's scale: -1 orange, 0 white, +1 blue (values clipped). Returns [r, g, b]. */
export function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  const orange = [245, 147, 34];
  const blue = [8, 119, 189];
  const c = t < 0 ? orange : blue;
  const a = Math.abs(t);
  return [255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a];
}

export const CLASS_COLOURS = ['#f59322', '#0877bd', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf'];

export function rgb(hex) {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

/** Paints a size x size grid on `canvas` (scaled to its size, smoothed or as blocks): colourAt(i) -> [r, g, b] for cell i, row-major. */
export function paint(canvas, size, colourAt, smooth = false) {
  blit(canvas, size, size, colourAt, smooth);
}

/** A grey image of bytes (0 black .. 255 white, or inverted for ink on paper) on `canvas`. */
export function greys(canvas, rows, cols, bytes, ink = true) {
  blit(canvas, rows, cols, i => {
    const v = ink ? 255 - bytes[i] : bytes[i];
    return [v, v, v];
  }, false);
}

// rows x cols cells, coloured one by one in an off-screen canvas, then drawn scaled onto `canvas`
function blit(canvas, rows, cols, colourAt, smooth) {
  const off = blit.buffer || (blit.buffer = document.createElement('canvas'));
  off.width = cols;
  off.height = rows;
  const g = off.getContext('2d');
  const img = g.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const [r, gr, b] = colourAt(i);
    img.data[4 * i] = r;
    img.data[4 * i + 1] = gr;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = 255;
  }
  g.putImageData(img, 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
}

// the spectrogram's colours from quiet to loud (lanes.app.DetectionPicture draws the PNG with the same five)
const MAGMA = [[0, 0, 4], [81, 18, 124], [183, 55, 121], [252, 137, 97], [252, 253, 191]];

/** A level 0..255 of a spectrogram as [r, g, b], from black through purple and orange to pale yellow. */
export function magma(level) {
  const t = level / 255 * (MAGMA.length - 1);
  const i = Math.min(MAGMA.length - 2, Math.floor(t));
  const f = t - i;
  return [0, 1, 2].map(k => Math.round(MAGMA[i][k] + f * (MAGMA[i + 1][k] - MAGMA[i][k])));
}

/** A rows x cols image on `canvas`, cell i (row-major) coloured colourAt(i) -> [r, g, b]. */
export function image(canvas, rows, cols, colourAt, smooth = false) {
  blit(canvas, rows, cols, colourAt, smooth);
}
