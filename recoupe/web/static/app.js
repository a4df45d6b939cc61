// recoupe's web page: plain JavaScript over the REST API, drawn in inline SVG.
// Article text and every other value from the API is untrusted: the DOM is built with
// createElement and textContent only, never from HTML strings.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const TYPES = ['deploy', 'withdraw', 'arms_transfer', 'train', 'support', 'request', 'reject', 'threaten',
  'criticize', 'capture', 'fight', 'agreement', 'cooperate', 'meet', 'tension'];
const MODALITIES = ['asserted', 'reported', 'hedged', 'hypothetical', 'negated'];  // most certain first
const COLOURS = {asserted: '#1b7837', reported: '#2166ac', hedged: '#e08214', hypothetical: '#8073ac', negated: '#c51b1b'};
const state = {actor: null, articles: new Map(), countries: null};

// ---- small helpers -------------------------------------------------------

function $(id) { return document.getElementById(id); }

/** An HTML element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** An SVG element with attributes. */
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  setAttrs(node, attrs);
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.setAttribute('class', value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
}

/** An SVG <title> tooltip. */
function tooltip(text) { const t = svg('title'); t.textContent = text; return t; }

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

function status(text, isError = false) {
  const s = $('status');
  s.textContent = text || '';
  s.classList.toggle('error', isError);
}

/** GET an API route; throws an Error carrying the API's one-line message. */
async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(key, value);
  }
  const response = await fetch(url, {headers: {Accept: 'application/json'}});
  const body = await response.json().catch(() => ({error: response.statusText}));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

/** Only http(s) links become clickable: a javascript: URL in an article is text. */
function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch (e) { return null; }
}

function link(url, label) {
  const href = url && safeHref(url);
  return href ? el('a', {href, rel: 'noopener noreferrer nofollow', target: '_blank'}, label) : el('span', {}, label);
}

/** The modality most reports have (ties: the more certain). */
function dominant(modalities) {
  let best = null;
  for (const m of MODALITIES) if ((modalities[m] || 0) > ((best && modalities[best]) || 0)) best = m;
  return best || 'asserted';
}

function profile(modalities) {
  return MODALITIES.filter((m) => modalities[m]).map((m) => `${modalities[m]} ${m}`).join(', ');
}

/** "2021", "2021-12", "2021-12-20" -> a time in ms at the middle of the period; null otherwise. */
function dateValue(text) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(text || '');
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), m[2] ? Number(m[2]) - 1 : 6, m[3] ? Number(m[3]) : (m[2] ? 15 : 1)];
  return Date.UTC(year, month, day);
}

/** A claim's time: its `when` (start of a range), else when it was first reported. */
function claimTime(item) {
  const when = item.when;
  const text = when && typeof when === 'object' ? (when.start || when.end) : when;
  return dateValue(text) ?? dateValue(item.first_reported);
}

function whenText(when) {
  if (!when) return '';
  if (typeof when === 'object') return `${when.start || '…'} – ${when.end || '…'}`;
  return when;
}

function actorName(id, name) { return name || id || '—'; }

// ---- legend ------------------------------------------------------------

function drawLegend() {
  const box = clear($('legend'));
  box.append(el('span', {class: 'legend-title'}, 'Modality:'));
  for (const m of MODALITIES) {
    const dot = svg('svg', {width: 12, height: 12, 'aria-hidden': 'true'});
    dot.append(svg('circle', {cx: 6, cy: 6, r: 5, fill: COLOURS[m]}));
    box.append(el('span', {class: 'legend-item'}, dot, ` ${m}`));
  }
}

// ---- actor search --------------------------------------------------------

let suggestTimer = null;

function initSearch() {
  const input = $('actor-search');
  const list = $('suggestions');
  input.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(() => suggest(input.value.trim()), 150);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') list.hidden = true;
    if (event.key === 'ArrowDown') { const b = list.querySelector('button'); if (b) { event.preventDefault(); b.focus(); } }
  });
  $('actor-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const first = list.querySelector('button');
    if (first) { first.click(); return; }
    const q = input.value.trim();
    if (!q) return;
    const found = await api('/api/actors', {q, limit: 1}).catch((e) => { status(e.message, true); return null; });
    if (found && found.items.length) openActor(found.items[0].id);
    else if (found) status(`No actor matches “${q}”.`);
  });
  $('text-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const q = $('text-search').value.trim();
    if (q) location.hash = `#search/${encodeURIComponent(q)}`;
  });
}

async function suggest(q) {
  const list = clear($('suggestions'));
  if (!q) { list.hidden = true; return; }
  let page;
  try { page = await api('/api/actors', {q, limit: 10}); } catch (e) { status(e.message, true); return; }
  if ($('actor-search').value.trim() !== q) return;  // the user typed on meanwhile
  for (const actor of page.items) {
    const other = actor.names.filter((n) => n !== actor.names[0]).slice(0, 3).join(', ');
    const button = el('button', {type: 'button', 'data-actor-id': actor.id, onclick: () => openActor(actor.id)},
      el('strong', {}, actor.names[0] || actor.id), ` ${actor.type}`,
      other ? el('small', {}, ` (${other})`) : null, el('span', {class: 'count'}, `${actor.claims} claims`));
    list.append(el('li', {role: 'option'}, button));
  }
  if (!page.items.length) list.append(el('li', {class: 'empty'}, 'no actor'));
  list.hidden = false;
}

function openActor(id) {
  $('suggestions').hidden = true;
  location.hash = `#actor/${encodeURIComponent(id)}`;
}

// ---- actor view and timeline ------------------------------------------

async function showActor(id) {
  let actor;
  try { actor = await api(`/api/actors/${encodeURIComponent(id)}`); } catch (e) { status(e.message, true); return; }
  state.actor = actor;
  $('top-view').hidden = true;
  $('results-view').hidden = true;
  $('actor-view').hidden = false;
  $('actor-name').textContent = actor.names[0] || actor.id;
  const meta = [actor.type, actor.role,
    actor.part_of && ['part of ', actorLink(actor.part_of)],
    actor.affiliated_with && ['affiliated with ', actorLink(actor.affiliated_with)],
    actor.names.length > 1 && `also: ${actor.names.slice(1).join(', ')}`,
    `${actor.relations.length} claims`].filter(Boolean);
  const line = clear($('actor-meta'));
  meta.forEach((part, i) => { if (i) line.append(' · '); line.append(...[].concat(part)); });
  drawTimeline(actor.relations);
  fillRelations(actor.relations);
  status('');
  await drawNetwork();
}

function drawTimeline(relations) {
  const box = clear($('timeline'));
  const dated = relations.map((r) => ({r, t: claimTime(r)})).filter((d) => d.t !== null);
  const undated = relations.length - dated.length;
  if (!dated.length) { box.append(el('p', {class: 'empty'}, 'No dated claim.')); return; }
  const types = TYPES.filter((t) => dated.some((d) => d.r.type === t));
  const [W, left, right, top, rowH] = [900, 110, 20, 10, 28];
  const H = top + rowH * types.length + 30;
  let [t0, t1] = [Math.min(...dated.map((d) => d.t)), Math.max(...dated.map((d) => d.t))];
  const pad = Math.max((t1 - t0) * 0.04, 1000 * 3600 * 24 * 45);
  [t0, t1] = [t0 - pad, t1 + pad];
  const x = (t) => left + (W - left - right) * (t - t0) / (t1 - t0);
  const chart = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'timeline', role: 'img', 'aria-label': 'timeline of claims'});
  types.forEach((type, i) => {
    const y = top + rowH * i + rowH / 2;
    chart.append(svg('line', {x1: left, x2: W - right, y1: y, y2: y, class: 'row'}));
    chart.append(svg('text', {x: left - 8, y: y + 4, 'text-anchor': 'end', class: 'label', text: type}));
  });
  const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear();
  const step = Math.max(1, Math.ceil((y1 - y0 + 1) / 12));
  for (let year = Date.UTC(y0, 0, 1) >= t0 ? y0 : y0 + 1; year <= y1; year += step) {
    const xv = x(Date.UTC(year, 0, 1));
    chart.append(svg('line', {x1: xv, x2: xv, y1: top, y2: H - 24, class: 'tick'}));
    chart.append(svg('text', {x: xv, y: H - 8, 'text-anchor': 'middle', class: 'label', text: year}));
  }
  // the biggest first, so that small dots stay clickable on top of them
  dated.sort((a, b) => b.r.independent_sources - a.r.independent_sources);
  for (const {r, t} of dated) {
    const y = top + rowH * types.indexOf(r.type) + rowH / 2;
    const modality = dominant(r.modalities || {});
    const dot = svg('circle', {cx: x(t).toFixed(1), cy: y, r: (4 + 3 * Math.sqrt(r.independent_sources || 1)).toFixed(1),
      fill: COLOURS[modality], class: 'dot', 'data-claim-id': r.claim_id, 'data-modality': modality,
      tabindex: 0, role: 'button', onclick: () => openClaim(r.claim_id),
      onkeydown: (e) => { if (e.key === 'Enter') openClaim(r.claim_id); }});
    const other = actorName(r.other, r.other_name);
    const arrow = r.role === 'source' ? `→ ${other}` : `← ${other}`;
    dot.append(tooltip(`${r.type} ${arrow}, ${whenText(r.when) || r.first_reported || ''}\n` +
      `${profile(r.modalities || {})}; ${r.independent_sources ?? '?'} independent source(s)`));
    chart.append(dot);
  }
  box.append(chart);
  if (undated) box.append(el('p', {class: 'hint'}, `${undated} claim(s) without a date are not drawn.`));
}

/** The same relations as rows, in time order (readable without the chart). */
function fillRelations(relations) {
  const body = clear($('relations').tBodies[0]);
  const time = (r) => claimTime(r) ?? Infinity;  // undated last
  const sorted = relations.slice().sort((a, b) => (time(a) === time(b) ? 0 : time(a) < time(b) ? -1 : 1));
  for (const r of sorted) {
    const other = actorName(r.other, r.other_name);
    body.append(el('tr', {},
      el('td', {}, whenText(r.when) || r.first_reported || '—'),
      el('td', {}, el('a', {href: `#claim/${encodeURIComponent(r.claim_id)}`}, r.type)),
      el('td', {}, r.role === 'source' ? `→ ${other}` : `← ${other}`),
      el('td', {}, profile(r.modalities || {})),
      el('td', {class: 'num'}, String(r.independent_sources ?? ''))));
  }
}

// ---- network --------------------------------------------------------------

async function drawNetwork() {
  const box = clear($('network'));
  box.dataset.state = 'loading';  // 'ready' once drawn: lets a reader (or a test) know which drawing it sees
  try { await drawNetworkIn(box); } finally { box.dataset.state = 'ready'; }
}

async function drawNetworkIn(box) {
  const ego = $('net-ego').checked && state.actor;
  const params = {since: $('net-since').value.trim(), until: $('net-until').value.trim(),
    type: $('net-type').value, actor: ego ? state.actor.id : '', limit: 500};
  let page;
  try { page = await api('/api/claims', params); } catch (e) { box.append(el('p', {class: 'error'}, e.message)); return; }
  if (!page.items.length) { box.append(el('p', {class: 'empty'}, 'No claim for these filters.')); return; }
  const nodes = new Map();
  const node = (id, name) => {
    if (!nodes.has(id)) nodes.set(id, {id, name: actorName(id, name), degree: 0});
    const n = nodes.get(id); n.degree += 1; return n;
  };
  const edges = page.items.filter((c) => c.target).map((c) => ({c, a: node(c.source, c.source_name), b: node(c.target, c.target_name)}));
  const [W, H] = [900, 520];
  layout([...nodes.values()], edges, W, H);
  const chart = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'network', role: 'img', 'aria-label': 'network of actors'});
  const pairs = new Map();  // parallel edges between one pair bend apart
  for (const {c, a, b} of edges) {
    const key = [a.id, b.id].sort().join(' ');
    const k = pairs.get(key) || 0; pairs.set(key, k + 1);
    const [mx, my] = [(a.x + b.x) / 2, (a.y + b.y) / 2];
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const bend = (k % 2 ? -1 : 1) * Math.ceil(k / 2) * 18;
    const [cx, cy] = [mx - (b.y - a.y) / len * bend, my + (b.x - a.x) / len * bend];
    const path = svg('path', {d: `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${b.x.toFixed(1)},${b.y.toFixed(1)}`,
      stroke: COLOURS[dominant(c.modalities)], 'stroke-width': (1 + Math.sqrt(c.independent_sources || 1)).toFixed(1),
      class: 'edge', 'data-claim-id': c.id, onclick: () => openClaim(c.id)});
    path.append(tooltip(`${c.type}: ${a.name} → ${b.name}, ${whenText(c.when) || c.first_reported || ''}\n${profile(c.modalities)}`));
    chart.append(path);
  }
  for (const n of nodes.values()) {
    const g = svg('g', {class: 'node' + (state.actor && n.id === state.actor.id ? ' selected' : ''), 'data-actor-id': n.id,
      transform: `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`, onclick: () => openActor(n.id)});
    g.append(svg('circle', {r: (5 + Math.sqrt(n.degree) * 2).toFixed(1)}));
    g.append(svg('text', {x: 9, y: 4, text: n.name}));
    g.append(tooltip(`${n.name}: ${n.degree} claim(s) shown`));
    chart.append(g);
  }
  box.append(chart);
  if (page.total > page.items.length) box.append(el('p', {class: 'hint'}, `${page.items.length} of ${page.total} claims shown.`));
}

/** A small deterministic force layout: nodes start on a circle, repel, and edges pull them together. */
function layout(nodes, edges, W, H) {
  const n = nodes.length;
  nodes.forEach((node, i) => {
    node.x = W / 2 + Math.cos(2 * Math.PI * i / n) * W * 0.35;
    node.y = H / 2 + Math.sin(2 * Math.PI * i / n) * H * 0.35;
  });
  if (n < 3) return;
  const ideal = Math.sqrt(W * H / n) * 0.45;
  for (let step = 0; step < 300; step++) {
    const heat = 20 * (1 - step / 300) + 0.5;
    for (const a of nodes) { a.dx = 0; a.dy = 0; }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const [a, b] = [nodes[i], nodes[j]];
        const [dx, dy] = [a.x - b.x, a.y - b.y];
        const d2 = Math.max(dx * dx + dy * dy, 1);
        const f = ideal * ideal / d2;
        a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
      }
    }
    for (const {a, b} of edges) {
      const [dx, dy] = [a.x - b.x, a.y - b.y];
      const d = Math.max(Math.hypot(dx, dy), 1);
      const f = d / ideal;
      a.dx -= dx * f; a.dy -= dy * f; b.dx += dx * f; b.dy += dy * f;
    }
    for (const a of nodes) {
      a.dx += (W / 2 - a.x) * 0.15; a.dy += (H / 2 - a.y) * 0.15;  // gravity keeps islands in view
      const d = Math.max(Math.hypot(a.dx, a.dy), 1e-9);
      a.x = Math.min(W - 90, Math.max(20, a.x + a.dx / d * Math.min(d, heat)));
      a.y = Math.min(H - 15, Math.max(15, a.y + a.dy / d * Math.min(d, heat)));
    }
  }
}

// ---- map ----------------------------------------------------------------

/** Decode a TopoJSON topology's object into [{name, rings: [[[lon, lat], ...], ...]}]. */
function topoFeatures(topo, objectName) {
  const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let [x, y] = [0, 0];
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
  const ring = (indexes) => {
    const points = [];
    for (const i of indexes) {
      const arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      points.push(...(points.length ? arc.slice(1) : arc));
    }
    return points;
  };
  return topo.objects[objectName].geometries.map((g) => {
    const polygons = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : [];
    return {name: (g.properties && g.properties.name) || '', rings: polygons.flatMap((p) => p.map(ring))};
  });
}

async function drawMap() {
  const box = clear($('map'));
  let places;
  try {
    places = (await api('/api/places')).filter((p) => typeof p.lat === 'number' && typeof p.lon === 'number');
    if (!state.countries) {
      const response = await fetch('/static/countries-110m.json');
      state.countries = topoFeatures(await response.json(), 'countries');
    }
  } catch (e) { box.append(el('p', {class: 'error'}, e.message)); return; }
  // the Sahel at least, widened to every place that has coordinates
  let [lon0, lon1, lat0, lat1] = [-18, 25, 4, 28];
  for (const p of places) {
    lon0 = Math.min(lon0, p.lon - 2); lon1 = Math.max(lon1, p.lon + 2);
    lat0 = Math.min(lat0, p.lat - 2); lat1 = Math.max(lat1, p.lat + 2);
  }
  // equirectangular, true to scale at mid-latitude; the frame widened to a fixed aspect ratio
  const k = Math.cos((lat0 + lat1) / 2 * Math.PI / 180);
  const [W, H] = [900, 560];
  const grow = (W / H) * (lat1 - lat0) / ((lon1 - lon0) * k);
  if (grow > 1) { const extra = (lon1 - lon0) * (grow - 1) / 2; lon0 -= extra; lon1 += extra; }
  else { const extra = (lat1 - lat0) * (1 / grow - 1) / 2; lat0 -= extra; lat1 += extra; }
  const px = (lon) => (lon - lon0) / (lon1 - lon0) * W;
  const py = (lat) => (lat1 - lat) / (lat1 - lat0) * H;
  const chart = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'map', role: 'img', 'aria-label': 'map of places'});
  chart.append(svg('rect', {x: 0, y: 0, width: W, height: H, class: 'sea'}));
  for (const country of state.countries) {
    const d = country.rings.map((r) => 'M' + r.map(([lon, lat]) => `${px(lon).toFixed(1)},${py(lat).toFixed(1)}`).join('L') + 'Z').join('');
    if (!d) continue;
    const path = svg('path', {d, class: 'country'});
    path.append(tooltip(country.name));
    chart.append(path);
  }
  const max = Math.max(1, ...places.map((p) => p.claims || 0));
  for (const p of places.slice().sort((a, b) => (b.claims || 0) - (a.claims || 0))) {
    const dot = svg('circle', {cx: px(p.lon).toFixed(1), cy: py(p.lat).toFixed(1), r: (3 + 9 * Math.sqrt((p.claims || 0) / max)).toFixed(1),
      class: 'place', 'data-place': p.name, tabindex: 0, role: 'button', onclick: () => showPlace(p),
      onkeydown: (e) => { if (e.key === 'Enter') showPlace(p); }});
    dot.append(tooltip(`${p.name}${p.country ? ` (${p.country})` : ''}: ${p.claims} claim(s)`));
    chart.append(dot);
  }
  box.append(chart);
  box.append(el('p', {class: 'hint'}, `${places.length} place(s). Boundaries: Natural Earth 1:110m.`));
}

/** "le Sahel", "Sahel" and "SAHEL" compare equal; so do "Ménaka" and "Menaka". */
function placeKey(name) {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/^(le|la|les)\s+|^l['’]\s*/, '').replace(/[^a-z0-9]+/g, '');
}

/** The claims whose place is ``place``, among the first 500 claims (the API has no place filter). */
async function showPlace(place) {
  let page;
  try { page = await api('/api/claims', {limit: 500}); } catch (e) { status(e.message, true); return; }
  const here = page.items.filter((c) => c.place && placeKey(c.place) === placeKey(place.name));
  const list = el('ul', {class: 'place-claims'});
  for (const c of here) {
    const label = `${c.type}: ${actorName(c.source, c.source_name)}${c.target ? ' → ' + actorName(c.target, c.target_name) : ''}` +
      `${whenText(c.when) ? ', ' + whenText(c.when) : ''} (${profile(c.modalities)})`;
    list.append(el('li', {}, el('a', {href: `#claim/${encodeURIComponent(c.id)}`, 'data-claim-id': c.id}, label)));
  }
  if (!here.length) list.append(el('li', {class: 'empty'}, 'No claim names this place as such.'));
  showPanel(el('h2', {}, place.name), el('p', {class: 'source'}, [place.country, `${place.lat.toFixed(2)}, ${place.lon.toFixed(2)}`,
    `${place.claims} claim(s)`].filter(Boolean).join(' · ')), list);
}

// ---- evidence panel ------------------------------------------------------

function openClaim(id) { location.hash = `#claim/${encodeURIComponent(id)}`; }

async function getArticle(id) {
  if (!state.articles.has(id)) state.articles.set(id, api(`/api/articles/${encodeURIComponent(id)}`));
  return state.articles.get(id);
}

function showPanel(...children) {
  const body = clear($('panel-body'));
  body.append(...children.filter((c) => c !== null && c !== undefined));
  $('panel').hidden = false;
  return body;
}

async function showClaim(id) {
  let claim, evidence;
  try {
    [claim, evidence] = await Promise.all([api(`/api/claims/${encodeURIComponent(id)}`),
      api(`/api/claims/${encodeURIComponent(id)}/evidence`)]);
  } catch (e) { status(e.message, true); return; }
  const facts = [
    ['when', whenText(claim.when)], ['place', claim.place],
    ['independent sources', String(claim.independent_sources)],
    ['articles', String(claim.articles.length)], ['modalities', profile(claim.modalities)],
    ['first reported', claim.first_reported], ['latest reported', claim.latest_reported],
    ['quantities', claim.quantities.map(quantityText).join('; ')],
  ].filter(([, v]) => v);
  const dl = el('dl', {class: 'claim-facts'});
  for (const [k, v] of facts) dl.append(el('dt', {}, k), el('dd', {}, v));
  const header = el('header', {class: 'claim-head'},
    el('h2', {}, `${claim.type}: `, actorLink(claim.source, claim.source_name),
      claim.target ? ' → ' : '', claim.target ? actorLink(claim.target, claim.target_name) : ''), dl);
  const contradictions = claim.contradictions.length
    ? el('div', {class: 'contradictions'}, el('h3', {}, 'Contradictions'),
      el('ul', {}, ...claim.contradictions.map((c) => el('li', {}, contradictionText(c)))))
    : null;
  const list = el('ol', {id: 'evidence', class: 'evidence'});
  showPanel(header, contradictions, el('h3', {}, 'Evidence'), list);
  for (const item of evidence) list.append(await evidenceItem(item));
  status('');
}

function actorLink(id, name) {
  return el('a', {href: `#actor/${encodeURIComponent(id)}`}, actorName(id, name));
}

function quantityText(q) {
  const n = q.value !== undefined ? q.value : `${q.min ?? '?'}–${q.max ?? '?'}`;
  return `${n}${q.unit ? ' ' + q.unit : ''}`;
}

function contradictionText(c) {
  if (c.kind === 'modality') return `asserted in ${(c.asserted || []).join(', ')}; denied in ${(c.negated || []).join(', ')}`;
  if (c.kind === 'quantity') return `quantities disagree: ${JSON.stringify(c.values)}`;
  return JSON.stringify(c);
}

/** One evidence sentence, highlighted in its article's text, with outlet, date, link and merged copies. */
async function evidenceItem(item) {
  const li = el('li', {class: `evidence-item modality-${item.modality}`, 'data-article-id': item.article_id});
  li.append(el('p', {class: 'source'},
    el('span', {class: 'badge', 'data-modality': item.modality}, item.modality),
    ' ', el('strong', {}, item.outlet || 'unknown outlet'), ' · ', item.date || 'undated', ' · ',
    link(item.url, item.title || item.article_id),
    item.speaker ? el('span', {class: 'speaker'}, ` · according to ${item.speaker}`) : null));
  if (item.copies && item.copies.length) {
    li.append(el('p', {class: 'copies'}, 'Copies of the same story, merged: ',
      ...item.copies.flatMap((id, i) => [i ? ', ' : '', el('a', {href: `#article/${encodeURIComponent(id)}`}, id)])));
  }
  let article = null;
  try { article = await getArticle(item.article_id); } catch (e) { /* the sentence alone is still shown */ }
  li.append(highlighted(article ? article.text : null, item));
  return li;
}

/** The article text with the evidence sentence in a <mark>, scrolled into view. */
function highlighted(text, item) {
  const box = el('div', {class: 'article-text'});
  let [start, end] = item.evidence_span || [-1, -1];
  if (text && text.slice(start, end) !== item.evidence) {  // offsets from another version: find the sentence
    start = text.indexOf(item.evidence);
    end = start + item.evidence.length;
  }
  if (!text || start < 0) { box.append(el('mark', {}, item.evidence)); return box; }
  const mark = el('mark', {}, text.slice(start, end));
  box.append(text.slice(0, start), mark, text.slice(end));
  requestAnimationFrame(() => { box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 40); });
  return box;
}

async function showArticle(id) {
  let article;
  try { article = await getArticle(id); } catch (e) { status(e.message, true); return; }
  const facts = el('ul', {class: 'facts'});
  for (const f of article.facts || []) {
    const label = `${f.type}: ${f.source} → ${f.target || '—'} (${f.modality})`;
    facts.append(el('li', {}, f.claim_id ? el('a', {href: `#claim/${encodeURIComponent(f.claim_id)}`}, label) : label));
  }
  showPanel(el('h2', {}, article.title || article.id),
    el('p', {class: 'source'}, el('strong', {}, article.outlet || 'unknown outlet'), ' · ', article.date || 'undated', ' · ',
      link(article.url, article.url || 'no link'), article.story_id && article.story_id !== article.id ? ` · copy of ${article.story_id}` : ''),
    el('div', {class: 'article-text'}, article.text), el('h3', {}, 'Facts'), facts);
}

// ---- search results and the start view ------------------------------------

async function showResults(q) {
  let page;
  try { page = await api('/api/search', {q, limit: 50}); } catch (e) { status(e.message, true); return; }
  $('results-query').textContent = q;
  const list = clear($('results'));
  for (const hit of page.items) {
    list.append(el('li', {}, el('a', {href: `#article/${encodeURIComponent(hit.article_id)}`}, hit.title || hit.article_id),
      ` ${hit.outlet || ''} ${hit.date || ''}`, hit.snippet ? el('p', {class: 'snippet'}, hit.snippet) : null));
  }
  if (!page.items.length) list.append(el('li', {class: 'empty'}, 'no article'));
  $('results-view').hidden = false;
  $('top-view').hidden = true;
}

async function showTop() {
  state.actor = null;
  $('actor-view').hidden = true;
  $('results-view').hidden = true;
  $('top-view').hidden = false;
  const list = clear($('top-actors'));
  try {
    const page = await api('/api/actors', {limit: 15});
    for (const a of page.items) {
      list.append(el('li', {}, el('a', {href: `#actor/${encodeURIComponent(a.id)}`}, a.names[0] || a.id), ` ${a.type}, ${a.claims} claims`));
    }
  } catch (e) { status(e.message, true); }
  const latest = clear($('latest-articles'));
  try {
    const stored = (await api('/api/stats')).articles || 0;
    const page = await api('/api/articles', {limit: 10, offset: Math.max(0, stored - 10)});
    for (const a of page.items.reverse()) {
      latest.append(el('li', {}, el('a', {href: `#article/${encodeURIComponent(a.id)}`}, a.title || a.id),
        ` ${a.outlet || ''} ${a.date || ''}`));
    }
  } catch (e) { status(e.message, true); }
  await drawNetwork();
}

// ---- routing: #actor/ID, #claim/ID, #article/ID, #search/TEXT ---------------

async function route() {
  const [kind, ...rest] = location.hash.slice(1).split('/');
  const arg = decodeURIComponent(rest.join('/'));
  if (kind === 'actor' && arg) await showActor(arg);
  else if (kind === 'claim' && arg) { if (!state.routed) await showTop(); await showClaim(arg); }
  else if (kind === 'article' && arg) { if (!state.routed) await showTop(); await showArticle(arg); }
  else if (kind === 'search' && arg) await showResults(arg);
  else await showTop();
  state.routed = true;
}

function init() {
  drawLegend();
  const select = $('net-type');
  for (const t of TYPES) select.append(el('option', {value: t}, t));
  initSearch();
  $('network-filters').addEventListener('submit', (event) => { event.preventDefault(); drawNetwork(); });
  $('panel-close').addEventListener('click', () => { $('panel').hidden = true; });
  window.addEventListener('hashchange', route);
  drawMap();
  route();
}

document.addEventListener('DOMContentLoaded', init);
