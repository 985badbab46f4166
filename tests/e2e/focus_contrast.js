// Every element that can take the focus, focused in turn: its outline must show (solid, 2 px or more)
// with a contrast of at least 3:1 against what is behind it (WCAG 2.1 SC 1.4.11). Behind an outline
// drawn outside the element is the nearest opaque background of its ancestors; behind one drawn
// inside (a negative offset), the element's own. Returns one line per element that fails.
() => {
  const rgba = (color) => (color.match(/[\d.]+/g) || []).map(Number);
  const opaque = (color) => { const c = rgba(color); return c.length === 3 || c[3] === 1 ? c.slice(0, 3) : null; };
  const luminance = ([r, g, b]) => {
    const linear = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (start) => {
    for (let node = start; node; node = node.parentElement) {
      const colour = opaque(getComputedStyle(node).backgroundColor);
      if (colour) return colour;
    }
    return [255, 255, 255];
  };
  const focusable = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const problems = [];
  for (const el of document.querySelectorAll(focusable)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    el.focus();
    if (document.activeElement !== el) continue;
    const style = getComputedStyle(el);
    const shown = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const behind = parseFloat(style.outlineOffset) < 0 ? background(el) : background(el.parentElement);
    const ratio = shown ? contrast(rgba(style.outlineColor).slice(0, 3), behind) : 0;
    if (ratio < 3) {
      const name = (el.innerText || el.getAttribute('aria-label') || el.name || el.id || '').trim().slice(0, 40);
      problems.push(`${el.tagName.toLowerCase()} "${name}": outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}, contrast ${ratio.toFixed(2)}`);
    }
    el.blur();
  }
  return [...new Set(problems)];
}
