// The dyad dashboard: plain JavaScript over the store's JSON API, no library, no build step.
// Every number is aggregated by the server and the event table is paginated, so the page stays
// light however many events the store holds. Text from the data is only ever set with
// textContent or as attribute values, never parsed as HTML.
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  var ROOTS = [
    ['01', 'Make public statement'], ['02', 'Appeal'], ['03', 'Express intent to cooperate'],
    ['04', 'Consult'], ['05', 'Engage in diplomatic cooperation'], ['06', 'Engage in material cooperation'],
    ['07', 'Provide aid'], ['08', 'Yield'], ['09', 'Investigate'], ['10', 'Demand'],
    ['11', 'Disapprove'], ['12', 'Reject'], ['13', 'Threaten'], ['14', 'Protest'],
    ['15', 'Exhibit force posture'], ['16', 'Reduce relations'], ['17', 'Coerce'], ['18', 'Assault'],
    ['19', 'Fight'], ['20', 'Use unconventional mass violence']
  ];
  var QUADS = { 1: 'verbal cooperation', 2: 'material cooperation', 3: 'verbal conflict', 4: 'material conflict' };
  var PAGE = 25;

  var state = {
    since: '', until: '', q: '',
    interval: 'auto',   // 'auto' lets the server fit the width to the span
    dyads: [],          // [[actor, recipient], ...] on the timeline
    series: [],         // last timeseries answers, for redrawing on resize
    network: null,      // last network answer
    ev: { actor: '', recipient: '', root: '', offset: 0, selected: null },
    qt: { speaker: '', addressee: '', offset: 0, loaded: false }
  };

  function $(id) { return document.getElementById(id); }

  // Builds an HTML element; string children become text nodes.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'class') node.setAttribute('class', v);
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    });
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  function showError(msg) {
    var box = $('error');
    if (!msg) { box.hidden = true; box.textContent = ''; return; }
    box.textContent = msg;
    box.hidden = false;
  }

  // GET a JSON answer; empty parameters are left out. Rejects with the server's error text.
  function api(path, params) {
    var qs = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) {
      var v = params[k];
      if (v !== '' && v !== null && v !== undefined) qs.set(k, String(v));
    });
    var url = path + (qs.toString() ? '?' + qs.toString() : '');
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (!res.ok) {
          var err = new Error((body && body.error) || (res.status + ' ' + res.statusText));
          err.status = res.status;
          throw err;
        }
        return body;
      });
    });
  }

  function signed(x) {
    var v = Math.round(x * 10) / 10;
    return (v > 0 ? '+' : v < 0 ? '−' : '') + Math.abs(v).toFixed(1);
  }

  function tone(x) { return x > 0 ? 'coop' : x < 0 ? 'conflict' : 'neutral'; }

  function actorLabel(list) {
    if (!list || !list.length) return '—';
    return list.map(function (a) { return a.sector ? a.code + ' ' + a.sector : a.code; }).join(', ');
  }

  function normCode(s) { return String(s || '').trim().toUpperCase(); }

  // ---------------------------------------------------------------- dates

  function parseDay(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  }

  function fmtDay(t) { return new Date(t).toISOString().slice(0, 10); }

  function nextPeriod(t, interval) {
    var d = new Date(t);
    if (interval === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return t + (interval === 'week' ? 7 : 1) * 86400000;
  }

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function tickLabel(t, interval, spanDays) {
    var d = new Date(t);
    if (interval === 'month' || spanDays > 400) return MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
    return MONTHS[d.getUTCMonth()] + ' ' + d.getUTCDate();
  }

  // ---------------------------------------------------------------- timeline

  function parseDyad(text) {
    var parts = String(text || '').toUpperCase().split(/\s*(?:→|->|>|–|-|\/|,|\s)\s*/).filter(Boolean);
    if (parts.length !== 2 || !parts.every(function (p) { return /^[A-Z0-9]{2,16}$/.test(p); })) return null;
    return parts;
  }

  // The dyads as removable chips, with their totals once `answers` (timeseries) are in.
  function renderChips(answers) {
    var ul = $('dyad-chips');
    ul.replaceChildren();
    state.dyads.forEach(function (d, i) {
      var name = d[0] + ' → ' + d[1];
      var total = null;
      if (answers && answers[i]) {
        var n = 0, net = 0;
        answers[i].series.forEach(function (p) { n += p.events; net += p.net_goldstein; });
        total = n ? n + ' event' + (n === 1 ? '' : 's') + ', net ' + signed(net) : 'no dated events';
      }
      ul.appendChild(el('li', { class: 'chip' },
        el('span', { class: 'swatch' }),
        name,
        total ? el('span', { class: 'chip-total', text: total }) : null,
        el('button', {
          type: 'button', class: 'chip-x', 'aria-label': 'Remove ' + name, text: '×',
          onclick: function () { state.dyads.splice(i, 1); loadTimeline(); }
        })));
    });
    // Colours come from the palette by position; CSS cannot index it, so set them here.
    Array.prototype.forEach.call(ul.querySelectorAll('.swatch'), function (s, i) {
      s.style.background = PALETTE[i % PALETTE.length];
    });
  }

  function loadTimeline() {
    renderChips();
    var chart = $('timeline-chart');
    if (!state.dyads.length) {
      state.series = [];
      chart.replaceChildren(el('p', { class: 'empty', text: 'Add a dyad (e.g. CHN>CUB) to draw its timeline.' }));
      return Promise.resolve();
    }
    var asked = state.dyads.slice();
    var fetch = function (d, interval) {
      return api('/api/timeseries', {
        actor: d[0], recipient: d[1], interval: interval, since: state.since, until: state.until
      });
    };
    var WIDTH = { day: 0, week: 1, month: 2 };
    return Promise.all(asked.map(function (d) { return fetch(d, state.interval); })).then(function (answers) {
      // Lines share one axis: under 'auto' each dyad's span may fit another width, so those
      // narrower than the widest are asked again at the widest.
      var widest = answers.reduce(function (w, a) { return WIDTH[a.interval] > WIDTH[w] ? a.interval : w; }, 'day');
      return Promise.all(answers.map(function (a, i) {
        return a.interval === widest || !a.series.length ? a : fetch(asked[i], widest);
      }));
    }).then(function (answers) {
      state.series = answers;
      renderChips(answers);
      drawTimeline();
    }).catch(function (e) { showError('Timeline: ' + e.message); });
  }

  function drawTimeline() {
    var chart = $('timeline-chart');
    var answers = state.series;
    var interval = answers.length ? answers[0].interval : 'day';
    answers.forEach(function (a) { if (a.series.length) interval = a.interval; });
    var all = [];
    answers.forEach(function (a) { a.series.forEach(function (p) { all.push(parseDay(p.period)); }); });
    all = all.filter(function (t) { return !isNaN(t); });
    if (!all.length) {
      chart.replaceChildren(el('p', { class: 'empty', text: 'No events for these dyads in this range.' }));
      return;
    }
    var t0 = Math.min.apply(null, all), t1 = Math.max.apply(null, all);
    // Periods without events have a net Goldstein of zero: fill them so lines do not skip gaps,
    // unless the range is so long that the points would be finer than the pixels.
    var periods = [];
    for (var t = t0; t <= t1 && periods.length <= 1500; t = nextPeriod(t, interval)) periods.push(t);
    var fill = periods.length <= 1500;

    var W = Math.max(chart.clientWidth || 600, 320), H = 320;
    var m = { l: 48, r: 16, t: 14, b: 30 };
    var lo = 0, hi = 0;
    answers.forEach(function (a) {
      a.series.forEach(function (p) { lo = Math.min(lo, p.net_goldstein); hi = Math.max(hi, p.net_goldstein); });
    });
    if (lo === hi) { lo -= 1; hi += 1; }
    var ticks = niceTicks(lo, hi, 5);
    lo = Math.min(lo, ticks[0]); hi = Math.max(hi, ticks[ticks.length - 1]);
    var span = Math.max(t1 - t0, 1);
    var x = function (tt) {
      return t1 === t0 ? (m.l + W - m.r) / 2 : m.l + (tt - t0) / span * (W - m.l - m.r);
    };
    var y = function (v) { return m.t + (hi - v) / (hi - lo) * (H - m.t - m.b); };

    var root = svg('svg', {
      class: 'timeline-svg', viewBox: '0 0 ' + W + ' ' + H, width: W, height: H,
      'aria-hidden': 'true', focusable: 'false'
    });
    var grid = svg('g', { class: 'grid' });
    ticks.forEach(function (v) {
      grid.appendChild(svg('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: v === 0 ? 'zero' : null }));
      grid.appendChild(svg('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end', text: v > 0 ? '+' + v : String(v) }));
    });
    root.appendChild(grid);
    var axis = svg('g', { class: 'axis' });
    var nTicks = Math.max(2, Math.min(7, Math.floor((W - m.l - m.r) / 90)));
    var spanDays = span / 86400000;
    var seen = {};
    for (var i = 0; i < nTicks; i++) {
      var tt = t1 === t0 ? t0 : t0 + span * i / (nTicks - 1);
      var label = tickLabel(tt, interval, spanDays);
      if (seen[label]) continue;
      seen[label] = true;
      axis.appendChild(svg('text', {
        x: x(tt), y: H - 8, 'text-anchor': i === 0 && t1 !== t0 ? 'start' : i === nTicks - 1 && t1 !== t0 ? 'end' : 'middle',
        text: label
      }));
    }
    root.appendChild(axis);

    answers.forEach(function (a, si) {
      var color = PALETTE[si % PALETTE.length];
      var byPeriod = {};
      a.series.forEach(function (p) { byPeriod[p.period] = p; });
      var pts = (fill ? periods : a.series.map(function (p) { return parseDay(p.period); })).map(function (tt) {
        var p = byPeriod[fmtDay(tt)];
        return { t: tt, p: p, v: p ? p.net_goldstein : 0 };
      });
      var name = a.actor + ' → ' + a.recipient;
      var g = svg('g', { class: 'series', 'data-dyad': a.actor + '>' + a.recipient });
      root.appendChild(g);
      // A dyad without dated events in range has nothing to draw (its chip says so).
      if (!a.series.length) return;
      var d = pts.map(function (pt, k) { return (k ? 'L' : 'M') + x(pt.t).toFixed(1) + ',' + y(pt.v).toFixed(1); }).join('');
      g.appendChild(svg('path', { d: d, class: 'series-line', stroke: color }));
      pts.forEach(function (pt) {
        if (!pt.p) return;
        var p = pt.p;
        var what = name + ', ' + (interval === 'day' ? '' : interval + ' of ') + p.period + ': ' + p.events +
          ' event' + (p.events === 1 ? '' : 's') + ', net Goldstein ' + signed(p.net_goldstein) +
          ' (' + p.cooperation + ' cooperative, ' + p.conflict + ' conflictual)';
        g.appendChild(svg('circle', {
          cx: x(pt.t).toFixed(1), cy: y(pt.v).toFixed(1), r: 3.5, fill: color, class: 'point'
        }, svg('title', { text: what })));
      });
    });
    chart.replaceChildren(root);
    var summary = answers.map(function (a) {
      var n = 0, net = 0;
      a.series.forEach(function (p) { n += p.events; net += p.net_goldstein; });
      return a.actor + ' → ' + a.recipient + ': ' + n + ' events, net Goldstein ' + signed(net);
    }).join('; ');
    chart.setAttribute('aria-label', 'Net Goldstein per ' + interval + '. ' + summary);
  }

  function niceTicks(lo, hi, n) {
    var raw = (hi - lo) / n;
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (s) { return s * mag; }).find(function (s) { return s >= raw; }) || mag * 10;
    var out = [];
    for (var v = Math.floor(lo / step) * step; v <= hi + step * 0.5; v += step) {
      out.push(Math.round(v * 100) / 100);
      if (out.length > 12) break;
    }
    return out;
  }

  // ---------------------------------------------------------------- network

  function loadNetwork() {
    return api('/api/network', { since: state.since, until: state.until, limit: $('net-limit').value })
      .then(function (net) {
        state.network = net;
        fillSuggestions(net);
        drawNetwork();
        return net;
      })
      .catch(function (e) { showError('Network: ' + e.message); return null; });
  }

  function fillSuggestions(net) {
    $('dyad-list').replaceChildren.apply($('dyad-list'), net.edges.map(function (e) {
      return el('option', { value: e.actor + '>' + e.recipient, label: e.events + ' events, net ' + signed(e.net_goldstein) });
    }));
    $('code-list').replaceChildren.apply($('code-list'), net.nodes.map(function (n) {
      return el('option', { value: n.code, label: n.events + ' events' });
    }));
  }

  function drawNetwork() {
    var chart = $('network-chart');
    var net = state.network;
    if (!net || !net.edges.length) {
      chart.replaceChildren(el('p', { class: 'empty', text: 'No dyads in this range.' }));
      return;
    }
    var W = Math.max(chart.clientWidth || 480, 300), H = Math.max(300, Math.min(440, W * 0.8));
    var cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 34;
    var maxNode = Math.max.apply(null, net.nodes.map(function (n) { return n.events; }));
    var maxEdge = Math.max.apply(null, net.edges.map(function (e) { return e.events; }));
    var pos = {};
    // Nodes on a circle, the same on every load: the busiest at the top, then each next one the
    // node most tied to the last placed, so partners sit side by side and few arrows cross.
    var order = circleOrder(net);
    order.forEach(function (n, i) {
      var a = -Math.PI / 2 + 2 * Math.PI * i / order.length;
      pos[n.code] = { x: cx + R * Math.cos(a), y: cy + R * Math.sin(a), a: a, r: 5 + 9 * Math.sqrt(n.events / maxNode) };
    });
    var root = svg('svg', { class: 'network-svg', viewBox: '0 0 ' + W + ' ' + H, width: W, height: H });
    var defs = svg('defs');
    ['coop', 'conflict', 'neutral'].forEach(function (k) {
      defs.appendChild(svg('marker', {
        id: 'arrow-' + k, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9,
        markerUnits: 'userSpaceOnUse', orient: 'auto'
      }, svg('path', { d: 'M0,0L10,5L0,10z', class: 'arrow ' + k })));
    });
    root.appendChild(defs);
    var edges = svg('g', { class: 'edges' });
    net.edges.forEach(function (e) {
      var a = pos[e.actor], b = pos[e.recipient];
      if (!a || !b) return;
      var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      // Bend each arrow to its left so A→B and B→A stay apart.
      var bend = Math.min(40, len * 0.18);
      var mx = (a.x + b.x) / 2 + (-dy / len) * bend, my = (a.y + b.y) / 2 + (dx / len) * bend;
      var ex = b.x - mx, ey = b.y - my, el2 = Math.sqrt(ex * ex + ey * ey) || 1;
      var tx = b.x - ex / el2 * (b.r + 3), ty = b.y - ey / el2 * (b.r + 3);
      var sx0 = a.x - (a.x - mx) / (Math.sqrt((a.x - mx) * (a.x - mx) + (a.y - my) * (a.y - my)) || 1) * a.r;
      var sy0 = a.y - (a.y - my) / (Math.sqrt((a.x - mx) * (a.x - mx) + (a.y - my) * (a.y - my)) || 1) * a.r;
      var k = tone(e.net_goldstein);
      var label = e.actor + ' → ' + e.recipient + ': ' + e.events + ' event' + (e.events === 1 ? '' : 's') +
        ', net Goldstein ' + signed(e.net_goldstein) + ' (' + e.cooperation + ' cooperative, ' + e.conflict + ' conflictual)';
      edges.appendChild(svg('path', {
        d: 'M' + sx0.toFixed(1) + ',' + sy0.toFixed(1) + 'Q' + mx.toFixed(1) + ',' + my.toFixed(1) + ' ' + tx.toFixed(1) + ',' + ty.toFixed(1),
        class: 'edge ' + k, 'stroke-width': (1.2 + 5 * Math.sqrt(e.events / maxEdge)).toFixed(2),
        'marker-end': 'url(#arrow-' + k + ')', tabindex: 0, role: 'button', 'aria-label': label,
        'data-actor': e.actor, 'data-recipient': e.recipient,
        onclick: function () { pickDyad(e.actor, e.recipient); },
        onkeydown: function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pickDyad(e.actor, e.recipient); } }
      }, svg('title', { text: label })));
    });
    root.appendChild(edges);
    var nodes = svg('g', { class: 'nodes' });
    net.nodes.forEach(function (n) {
      var p = pos[n.code];
      var lx = cx + (R + p.r + 12) * Math.cos(p.a), ly = cy + (R + p.r + 12) * Math.sin(p.a);
      var anchor = Math.abs(Math.cos(p.a)) < 0.3 ? 'middle' : Math.cos(p.a) > 0 ? 'start' : 'end';
      var label = n.code + ': ' + n.events + ' event' + (n.events === 1 ? '' : 's') + ' in range';
      nodes.appendChild(svg('g', {
        class: 'node', tabindex: 0, role: 'button', 'aria-label': label, 'data-code': n.code,
        onclick: function () { pickActor(n.code); },
        onkeydown: function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pickActor(n.code); } }
      },
      svg('title', { text: label }),
      svg('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: p.r.toFixed(1) }),
      svg('text', { x: lx.toFixed(1), y: (ly + 4).toFixed(1), 'text-anchor': anchor, text: n.code })));
    });
    root.appendChild(nodes);
    chart.replaceChildren(root);
  }

  function circleOrder(net) {
    var w = {};
    net.edges.forEach(function (e) {
      [[e.actor, e.recipient], [e.recipient, e.actor]].forEach(function (p) {
        w[p[0]] = w[p[0]] || {};
        w[p[0]][p[1]] = (w[p[0]][p[1]] || 0) + e.events;
      });
    });
    var left = net.nodes.slice(), order = [];
    while (left.length) {
      var last = order.length ? order[order.length - 1].code : null;
      var best = 0, bestScore = -1;
      left.forEach(function (n, i) {
        var toLast = last ? ((w[last] || {})[n.code] || 0) : 0;
        var toAny = order.reduce(function (s, o) { return s + ((w[o.code] || {})[n.code] || 0); }, 0);
        // Ties to the last node first, then to any placed node, then the busiest (nodes come sorted).
        var score = toLast * 1e6 + toAny * 1e3 - i * 1e-3;
        if (score > bestScore) { bestScore = score; best = i; }
      });
      order.push(left.splice(best, 1)[0]);
    }
    return order;
  }

  function pickDyad(actor, recipient) {
    $('f-actor').value = actor;
    $('f-recipient').value = recipient;
    if (!state.dyads.some(function (d) { return d[0] === actor && d[1] === recipient; })) {
      state.dyads.push([actor, recipient]);
      loadTimeline();
    }
    selectTab('events');
    applyEventFilters();
  }

  function pickActor(code) {
    $('f-actor').value = code;
    $('f-recipient').value = '';
    selectTab('events');
    applyEventFilters();
  }

  // ---------------------------------------------------------------- events

  function applyEventFilters() {
    state.ev.actor = normCode($('f-actor').value);
    state.ev.recipient = normCode($('f-recipient').value);
    state.ev.root = $('f-root').value;
    state.ev.offset = 0;
    return loadEvents();
  }

  function loadEvents() {
    var s = state.ev;
    var status = $('ev-status');
    status.textContent = 'Loading…';
    return api('/api/events', {
      actor: s.actor, recipient: s.recipient, root: s.root, since: state.since, until: state.until,
      q: state.q, limit: PAGE, offset: s.offset
    }).then(function (page) {
      var events = page.events || [];
      renderEvents(events);
      // What the rows answer, for scripts and tests that wait on a reload.
      $('events-table').setAttribute('data-filter', s.actor + '>' + s.recipient + '|' + s.root + '|' + state.q + '|' + s.offset);
      // Servers that do not send next_offset: a full page may have a next one.
      var next = 'next_offset' in page ? page.next_offset : (events.length === PAGE ? s.offset + PAGE : null);
      s.next = next;
      $('ev-prev').disabled = s.offset === 0;
      $('ev-next').disabled = next === null || next === undefined;
      status.textContent = events.length
        ? 'Events ' + (s.offset + 1) + '–' + (s.offset + events.length) + (next == null ? ' (last page)' : '')
        : (s.offset ? 'No more events' : 'No events');
      showError('');
    }).catch(function (e) {
      status.textContent = '';
      showError('Events: ' + e.message);
    });
  }

  function renderEvents(events) {
    var tbody = $('events-table').tBodies[0];
    tbody.replaceChildren();
    if (!events.length) {
      tbody.appendChild(el('tr', { class: 'empty-row' }, el('td', { colspan: 7, text: 'No events match these filters.' })));
      return;
    }
    events.forEach(function (e) {
      var open = function () { selectEvent(e, tr); };
      var tr = el('tr', {
        tabindex: 0, class: 'event-row', 'data-id': e.id,
        'data-actor': (e.actor || []).map(function (a) { return a.code; }).join(' '),
        'data-recipient': (e.recipient || []).map(function (a) { return a.code; }).join(' '),
        'aria-selected': state.ev.selected === e.id ? 'true' : 'false',
        onclick: open,
        onkeydown: function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } }
      },
      el('td', { class: 'nowrap', text: e.date || '—' }),
      el('td', { class: 'code', text: actorLabel(e.actor) }),
      el('td', null, el('span', { class: 'plover', text: e.event }), ' ', el('span', { class: 'muted', text: e.cameo.code })),
      el('td', { class: 'code', text: actorLabel(e.recipient) }),
      el('td', { class: 'num' }, el('span', { class: 'gold ' + tone(e.cameo.goldstein), text: signed(e.cameo.goldstein) })),
      el('td', { class: 'pred', text: e.event_text }),
      el('td', { class: 'doc', text: (e.cite_info && e.cite_info.publication) || e.doc_id }));
      tbody.appendChild(tr);
    });
  }

  // Byte offset in the UTF-8 form of `s` → index in the JavaScript (UTF-16) string.
  function utf16At(s, byteOff) {
    var bytes = 0, i = 0;
    while (i < s.length && bytes < byteOff) {
      var c = s.codePointAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      i += c >= 0x10000 ? 2 : 1;
    }
    return bytes === byteOff ? i : -1;
  }

  function findFree(hay, needle, taken) {
    if (!needle) return null;
    var h = hay.toLowerCase(), n = needle.toLowerCase(), from = 0;
    for (;;) {
      var at = h.indexOf(n, from);
      if (at < 0) return null;
      var r = [at, at + n.length];
      if (!taken.some(function (t) { return r[0] < t[1] && t[0] < r[1]; })) return r;
      from = at + 1;
    }
  }

  // The sentence with the predicate and each actor's words marked.
  function highlighted(e) {
    var s = e.sentence || '';
    var marks = [];
    var ti = e.text_info || {};
    // The trigger's offsets are in bytes of the document; the sentence starts at ti.start.
    var a = utf16At(s, (ti.event_start || 0) - (ti.start || 0));
    var b = utf16At(s, (ti.event_end || 0) - (ti.start || 0));
    var trigger = a >= 0 && b > a ? [a, b] : null;
    var words = findFree(s, e.event_text, []);
    var pred = words && (!trigger || (words[0] <= trigger[0] && trigger[1] <= words[1])) ? words : trigger || words;
    if (pred) marks.push({ r: pred, cls: 'hl-pred', what: 'predicate' });
    [['actor', 'hl-actor', 'source'], ['recipient', 'hl-recipient', 'target']].forEach(function (k) {
      (e[k[0]] || []).forEach(function (x) {
        var r = findFree(s, x.entity_text, marks.map(function (m) { return m.r; }));
        if (r) marks.push({ r: r, cls: k[1], what: k[2] + ' ' + x.code });
      });
    });
    marks.sort(function (p, q) { return p.r[0] - q.r[0]; });
    var out = el('blockquote', { class: 'sentence' });
    var at = 0;
    marks.forEach(function (m) {
      out.appendChild(document.createTextNode(s.slice(at, m.r[0])));
      out.appendChild(el('mark', { class: m.cls, title: m.what, text: s.slice(m.r[0], m.r[1]) }));
      at = m.r[1];
    });
    out.appendChild(document.createTextNode(s.slice(at)));
    return out;
  }

  function safeLink(url, text) {
    if (url && /^https?:\/\//i.test(url)) return el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', text: text || url });
    return text || url || '—';
  }

  function row(dl, term, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el('dt', { text: term }));
    dl.appendChild(el('dd', null, value));
  }

  function selectEvent(e, tr) {
    state.ev.selected = e.id;
    Array.prototype.forEach.call($('events-table').tBodies[0].rows, function (r) {
      r.setAttribute('aria-selected', r === tr ? 'true' : 'false');
    });
    var box = $('evidence');
    var root = ROOTS[+e.cameo.root - 1];
    var dl = el('dl', { class: 'facts' });
    row(dl, 'Date', (e.date || 'unknown') + (e.date_text ? ' (“' + e.date_text + '”)' : '') +
      (e.date_precision && e.date_precision !== 'day' ? ', to the ' + e.date_precision : ''));
    row(dl, 'CAMEO', e.cameo.code + (root ? ' · ' + root[1] : '') + (QUADS[e.cameo.quad_class] ? ' · ' + QUADS[e.cameo.quad_class] : ''));
    row(dl, 'Goldstein', el('span', { class: 'gold ' + tone(e.cameo.goldstein), text: signed(e.cameo.goldstein) }));
    row(dl, 'PLOVER', [e.event].concat(e.mode || [], e.context || []).join(' · '));
    row(dl, 'Place', e.event_loc ? e.event_loc.name + (e.event_loc.country_code ? ' (' + e.event_loc.country_code + ')' : '') : null);
    var c = e.cite_info || {};
    row(dl, 'Source', [c.publication, c.title].filter(Boolean).join(': ') || null);
    row(dl, 'URL', c.url ? safeLink(c.url) : null);
    row(dl, 'Document', e.doc_id + ', sentence ' + ((e.text_info && e.text_info.sentence_index) + 1));
    row(dl, 'Rule', e.rule);
    row(dl, 'Confidence', typeof e.confidence === 'number' ? e.confidence.toFixed(2) : null);
    var mentions = el('div', { class: 'mentions' });
    box.replaceChildren(
      el('h3', { id: 'evidence-h', text: actorLabel(e.actor) + ' → ' + actorLabel(e.recipient) + ': ' + e.event }),
      highlighted(e),
      el('p', { class: 'keys' },
        el('mark', { class: 'hl-actor', text: 'source' }), ' ',
        el('mark', { class: 'hl-pred', text: 'predicate' }), ' ',
        el('mark', { class: 'hl-recipient', text: 'target' })),
      dl, mentions);
    loadMentions(e, mentions);
  }

  // Other reports of the same event, when the server can list them (`/api/events/{id}`).
  function loadMentions(e, box) {
    api('/api/events/' + encodeURIComponent(e.id)).then(function (body) {
      if (state.ev.selected !== e.id || !body || !Array.isArray(body.mentions) || !body.mentions.length) return;
      box.replaceChildren(el('h4', { text: 'Reported in ' + body.mentions.length + ' place' + (body.mentions.length === 1 ? '' : 's') }),
        el('ul', null, body.mentions.map(function (m) {
          var where = [m.publication, m.title].filter(Boolean).join(': ') || m.doc_id;
          return el('li', null,
            el('div', { class: 'muted' }, safeLink(m.url, where), (m.date ? ', ' + m.date : ''),
              typeof m.sentence_index === 'number' ? ', sentence ' + (m.sentence_index + 1) : ''),
            m.text ? el('div', { class: 'mention-text', text: m.text }) : null);
        })));
    }).catch(function () { /* older servers have no such endpoint: the record alone is shown */ });
  }

  // ---------------------------------------------------------------- quotes

  function applyQuoteFilters() {
    state.qt.speaker = normCode($('f-speaker').value);
    state.qt.addressee = normCode($('f-addressee').value);
    state.qt.offset = 0;
    return loadQuotes();
  }

  function party(p) {
    if (!p) return 'unattributed';
    return p.name + (p.code ? ' (' + p.code + (p.sector ? ' ' + p.sector : '') + ')' : '');
  }

  function loadQuotes() {
    var s = state.qt;
    s.loaded = true;
    $('qt-status').textContent = 'Loading…';
    return api('/api/quotes', {
      speaker: s.speaker, addressee: s.addressee, q: state.q, since: state.since, until: state.until,
      limit: 20, offset: s.offset
    }).then(function (page) {
      var list = $('quotes-list');
      list.replaceChildren();
      page.quotes.forEach(function (q) {
        list.appendChild(el('li', { class: 'quote', 'data-speaker': q.speaker && q.speaker.code || '' },
          el('blockquote', { class: 'quote-text ' + q.kind, text: q.kind === 'direct' ? '“' + q.text + '”' : q.text }),
          el('p', { class: 'quote-meta' },
            el('strong', { text: party(q.speaker) }),
            q.addressee ? [' to ', el('strong', { text: party(q.addressee) })] : null,
            q.cue ? ' · ' + q.cue : null,
            ' · ', el('span', { class: 'badge', text: q.kind.replace('_', ' ') }),
            ' · ' + (q.date || 'undated') + ' · ', el('span', { class: 'muted', text: q.doc_id }))));
      });
      if (!page.quotes.length) list.appendChild(el('li', { class: 'empty', text: 'No quotes match.' }));
      list.setAttribute('data-filter', s.speaker + '>' + s.addressee + '|' + state.q + '|' + s.offset);
      s.next = page.next_offset;
      $('qt-prev').disabled = s.offset === 0;
      $('qt-next').disabled = page.next_offset == null;
      $('qt-status').textContent = page.quotes.length
        ? 'Quotes ' + (s.offset + 1) + '–' + (s.offset + page.quotes.length) + (page.next_offset == null ? ' (last page)' : '')
        : '';
    }).catch(function (e) {
      $('qt-status').textContent = '';
      showError('Quotes: ' + e.message);
    });
  }

  // ---------------------------------------------------------------- tabs and wiring

  function selectTab(which) {
    ['events', 'quotes'].forEach(function (name) {
      var on = name === which;
      var tab = $('tab-' + name);
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      $(name + '-panel').hidden = !on;
    });
    if (which === 'quotes' && !state.qt.loaded) loadQuotes();
  }

  function wire() {
    var rootSel = $('f-root');
    ROOTS.forEach(function (r) { rootSel.appendChild(el('option', { value: r[0], text: r[0] + ' ' + r[1] })); });

    $('global').addEventListener('submit', function (ev) {
      ev.preventDefault();
      state.since = $('since').value;
      state.until = $('until').value;
      state.q = $('q').value.trim();
      state.ev.offset = 0;
      state.qt.offset = 0;
      state.qt.loaded = false;
      loadNetwork();
      loadTimeline();
      loadEvents();
      if (!$('quotes-panel').hidden) loadQuotes();
    });
    $('dyad-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var d = parseDyad($('dyad-input').value);
      if (!d) { showError('Write a dyad as two codes, source then target: CHN>CUB'); return; }
      showError('');
      if (!state.dyads.some(function (x) { return x[0] === d[0] && x[1] === d[1]; })) state.dyads.push(d);
      $('dyad-input').value = '';
      loadTimeline();
    });
    $('interval').addEventListener('change', function () { state.interval = this.value; loadTimeline(); });
    $('net-limit').addEventListener('change', loadNetwork);
    $('event-filters').addEventListener('submit', function (ev) { ev.preventDefault(); applyEventFilters(); });
    $('f-clear').addEventListener('click', function () {
      $('f-actor').value = ''; $('f-recipient').value = ''; $('f-root').value = '';
      applyEventFilters();
    });
    $('ev-prev').addEventListener('click', function () { state.ev.offset = Math.max(0, state.ev.offset - PAGE); loadEvents(); });
    $('ev-next').addEventListener('click', function () { if (state.ev.next != null) { state.ev.offset = state.ev.next; loadEvents(); } });
    $('quote-filters').addEventListener('submit', function (ev) { ev.preventDefault(); applyQuoteFilters(); });
    $('fq-clear').addEventListener('click', function () { $('f-speaker').value = ''; $('f-addressee').value = ''; applyQuoteFilters(); });
    $('qt-prev').addEventListener('click', function () { state.qt.offset = Math.max(0, state.qt.offset - 20); loadQuotes(); });
    $('qt-next').addEventListener('click', function () { if (state.qt.next != null) { state.qt.offset = state.qt.next; loadQuotes(); } });
    ['events', 'quotes'].forEach(function (name, i, names) {
      var tab = $('tab-' + name);
      tab.addEventListener('click', function () { selectTab(name); });
      tab.addEventListener('keydown', function (ev) {
        if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
        var other = names[(i + 1) % names.length];
        selectTab(other);
        $('tab-' + other).focus();
      });
    });
    var resizing = null;
    window.addEventListener('resize', function () {
      clearTimeout(resizing);
      resizing = setTimeout(function () { if (state.series.length) drawTimeline(); drawNetwork(); }, 150);
    });
  }

  function start() {
    wire();
    api('/api/health').then(function (h) {
      $('counts').textContent = h.events.toLocaleString('en') + ' events from ' + h.documents.toLocaleString('en') + ' documents';
    }).catch(function (e) { $('counts').textContent = 'Store unavailable: ' + e.message; });
    loadNetwork().then(function (net) {
      // Start with the two busiest dyads so the timeline is never blank on a fresh store.
      if (net && !state.dyads.length) {
        state.dyads = net.edges.slice(0, 2).map(function (e) { return [e.actor, e.recipient]; });
      }
      return loadTimeline();
    });
    loadEvents();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
