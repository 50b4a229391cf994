// A small line chart on a canvas: the last points of one metric, with the alert thresholds as
// dashed lines. No library: a few canvas calls.

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ t: number, v: number }[]} points
 * @param {{ min?: number, max?: number, color?: string, thresholdColor?: string }} [options]
 */
export function drawSparkline(canvas, points, options = {}) {
  const ratio = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  if (points.length === 0) return;

  const { lo, hi } = valueRange(points, [options.min, options.max]);
  const first = points[0].t;
  const span = Math.max(1, points[points.length - 1].t - first);
  const pad = 3;
  const x = (t) => pad + ((t - first) / span) * (width - 2 * pad);
  const y = (v) => height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad);

  ctx.lineWidth = 1;
  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = options.thresholdColor ?? '#c62828';
  for (const bound of [options.min, options.max]) {
    if (bound === undefined) continue;
    ctx.beginPath();
    ctx.moveTo(0, y(bound));
    ctx.lineTo(width, y(bound));
    ctx.stroke();
  }

  ctx.setLineDash([]);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = options.color ?? '#2f6fdf';
  ctx.beginPath();
  points.forEach((point, index) => {
    const px = points.length === 1 ? width / 2 : x(point.t);
    if (index === 0) ctx.moveTo(px, y(point.v));
    else ctx.lineTo(px, y(point.v));
  });
  ctx.stroke();
  const last = points[points.length - 1];
  ctx.fillStyle = ctx.strokeStyle;
  ctx.beginPath();
  ctx.arc(points.length === 1 ? width / 2 : x(last.t), y(last.v), 2.5, 0, 2 * Math.PI);
  ctx.fill();
}

/** The value axis: the points and the thresholds, with a margin; never a zero-height range. */
export function valueRange(points, bounds = []) {
  const values = points.map((p) => p.v).concat(bounds.filter((b) => typeof b === 'number'));
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const margin = (hi - lo) * 0.1;
  return { lo: lo - margin, hi: hi + margin };
}
