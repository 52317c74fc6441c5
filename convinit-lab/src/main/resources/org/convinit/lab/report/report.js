/* convinit study report: draws every div.chart from the JSON in #study-data with Apache ECharts (SVG). */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('study-data').textContent);
  var color = {};
  data.schemes.forEach(function (s) { color[s.name] = s.color; });
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var INK = '#1d2330', MUTED = '#5f6b7a', GRID = '#edf0f4';
  var THEORY = 'predicted (He et al. 2015)';
  var charts = [];

  function isNum(v) { return typeof v === 'number' && isFinite(v); }

  function fmt(v) {
    if (!isNum(v)) return '—';
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(2).replace('e+', 'e');
    return String(Number(v.toPrecision(3)));
  }

  function logLabel(v) {
    if (v >= 1e-2 && v <= 1e3) return String(Number(v.toPrecision(2)));
    var e = Math.round(Math.log10(v));
    return Math.abs(Math.log10(v) - e) < 1e-9 ? '1e' + e : v.toExponential(0).replace('e+', 'e');
  }

  /* Rough legend height so the plot never sits under a wrapped legend. */
  function legendRows(names, width) {
    var rows = 1, x = 0;
    names.forEach(function (n) {
      var w = String(n.name || n).length * 7.4 + 42;
      if (x + w > width - 24 && x > 0) { rows++; x = 0; }
      x += w;
    });
    return rows;
  }

  function base(el, title, names) {
    var rows = names.length ? legendRows(names, el.clientWidth || 600) : 0;
    return {
      animation: false,
      textStyle: { fontFamily: FONT, color: INK },
      title: { text: title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: 600, color: INK } },
      legend: { show: names.length > 0, data: names, top: 26, left: 0, right: 0, itemWidth: 18, itemHeight: 10,
                textStyle: { fontSize: 12, color: INK }, itemGap: 14 },
      grid: { left: 76, right: 18, top: 46 + rows * 22, bottom: 58, containLabel: false },
      tooltip: { trigger: 'axis', confine: true, textStyle: { fontSize: 12 } }
    };
  }

  function axisName(name, gap) {
    return { name: name, nameLocation: 'middle', nameGap: gap, nameTextStyle: { color: MUTED, fontSize: 12 } };
  }

  /* A band (a 95% interval, or the seeds' range) as filled polygons between low and high, gaps where either is missing. */
  function band(name, c, xs, low, high, log) {
    var segs = [], cur = [], pts = [];
    for (var i = 0; i < xs.length; i++) {
      var ok = isNum(low[i]) && isNum(high[i]) && (!log || (low[i] > 0 && high[i] > 0));
      if (ok) { cur.push(i); pts.push([xs[i], low[i]], [xs[i], high[i]]); }
      if ((!ok || i === xs.length - 1) && cur.length) { segs.push(cur); cur = []; }
    }
    return {
      type: 'custom', name: name, silent: true, z: 1, clip: true, data: pts, encode: { x: 0, y: 1 },
      tooltip: { show: false },
      renderItem: function (params, api) {
        if (params.dataIndex !== 0) return null;
        return { type: 'group', children: segs.map(function (seg) {
          var up = seg.map(function (j) { return api.coord([xs[j], high[j]]); });
          var down = seg.slice().reverse().map(function (j) { return api.coord([xs[j], low[j]]); });
          return { type: 'polygon', shape: { points: up.concat(down) }, style: { fill: c, opacity: 0.14 } };
        }) };
      }
    };
  }

  /* Error bars (low..high with caps) at each point, for short curves where a band is thin. */
  function errorBars(name, c, xs, low, high) {
    var pts = [];
    for (var i = 0; i < xs.length; i++) if (isNum(low[i]) && isNum(high[i])) pts.push([xs[i], low[i], high[i]]);
    return {
      type: 'custom', name: name, silent: true, z: 3, data: pts, encode: { x: 0, y: [1, 2] },
      tooltip: { show: false },
      renderItem: function (params, api) {
        var lo = api.coord([api.value(0), api.value(1)]), hi = api.coord([api.value(0), api.value(2)]);
        var style = { stroke: c, lineWidth: 1.5 };
        return { type: 'group', children: [
          { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
          { type: 'line', shape: { x1: lo[0] - 4, y1: lo[1], x2: lo[0] + 4, y2: lo[1] }, style: style },
          { type: 'line', shape: { x1: hi[0] - 4, y1: hi[1], x2: hi[0] + 4, y2: hi[1] }, style: style }
        ] };
      }
    };
  }

  function line(name, c, xy, opts) {
    var s = { type: 'line', name: name, data: xy, z: 2, showSymbol: xy.length <= 40, symbolSize: 5,
              lineStyle: { width: 2, color: c }, itemStyle: { color: c }, connectNulls: false };
    return Object.assign(s, opts || {});
  }

  function zip(xs, ys, log) {
    return xs.map(function (x, i) { var y = ys[i]; return [x, isNum(y) && (!log || y > 0) ? y : null]; });
  }

  function noData(option, text) {
    option.graphic = [{ type: 'text', left: 'center', top: 'middle',
                        style: { text: text, fill: MUTED, font: '13px ' + FONT } }];
    return option;
  }

  function tooltipLines(params, label, format) {
    var rows = params.filter(function (p) { return p.seriesType === 'line' && p.value && isNum(p.value[1]); });
    return '<b>' + label + '</b><br>' + rows.map(function (p) {
      return p.marker + p.seriesName + ': ' + (format || fmt)(p.value[1]);
    }).join('<br>');
  }

  /*
   * A log10 axis drawn as a value axis over log10(y): ECharts' own log axis labels every 10th decade once a
   * range spans 10 decades or more, and signal propagation often spans 20. Whole decades, at most 10 labels.
   */
  function lg(arr) { return arr.map(function (v) { return isNum(v) && v > 0 ? Math.log10(v) : null; }); }

  function decadeAxis(values) {
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) { if (isNum(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
    if (!isFinite(lo)) return { min: -1, max: 1, interval: 1 };
    var a = Math.floor(lo + 1e-9), z = Math.ceil(hi - 1e-9);
    if (z <= a) { a -= 1; z += 1; }
    var step = Math.max(1, Math.ceil((z - a) / 10));
    a = Math.floor(a / step) * step;
    z = Math.ceil(z / step) * step;
    return { min: a, max: z, interval: step };
  }

  function signalOption(el, model, kind, all) {
    var keep = [];
    model.layers.forEach(function (l, i) { if (all || l.weight) keep.push(i); });
    if (!keep.length) keep = model.layers.map(function (_, i) { return i; });
    var cats = keep.map(function (i) { return model.layers[i].name; });
    var xs = keep.map(function (_, j) { return j; });
    var series = [], names = [], all10 = [];
    var pick = function (arr) { var v = lg(keep.map(function (i) { return arr[i]; })); all10 = all10.concat(v); return v; };
    // An interval reaching zero or below (few seeds, wide t-interval) has no log: its band runs to the axis floor.
    var pickLow = function (arr) {
      return keep.map(function (i) { var v = arr[i]; return isNum(v) && v <= 0 ? -Infinity : lg([v])[0]; });
    };
    var rows = model.signal.map(function (s) {
      var src = s[kind];
      return { s: s, mean: pick(src.mean), low: pickLow(src.low), high: pick(src.high),
               pred: kind === 'act' ? pick(s.pred.mean) : null };
    });
    rows.forEach(function (r) { r.low.forEach(function (v) { if (isNum(v)) all10.push(v); }); });
    var axis = decadeAxis(all10);
    rows.forEach(function (r) {
      var c = color[r.s.scheme];
      var low = r.low.map(function (v) { return v === -Infinity ? axis.min : v; });
      names.push(r.s.scheme);
      series.push(line(r.s.scheme, c, zip(xs, r.mean, false)));
      series.push(band(r.s.scheme, c, xs, low, r.high, false));
      if (r.pred) {
        series.push(line(THEORY, c, zip(xs, r.pred, false),
          { lineStyle: { width: 1.5, type: 'dashed', color: c }, showSymbol: false, connectNulls: true, z: 2 }));
      }
    });
    if (kind === 'act' && model.signal.length) names.push({ name: THEORY, itemStyle: { color: MUTED },
      lineStyle: { color: MUTED, type: 'dashed' } });
    var title = kind === 'act' ? 'Activation std per layer' : 'Gradient std per layer (∂loss/∂output)';
    var o = base(el, title, names);
    o.xAxis = Object.assign(axisName('layer, input → output' + (all ? '' : ' (conv and linear)'), 40), {
      type: 'category', data: cats, boundaryGap: false,
      axisLabel: { color: MUTED, fontSize: 11, hideOverlap: true, rotate: cats.length > 12 ? 35 : 0 },
      axisLine: { lineStyle: { color: '#c8ced8' } } });
    o.grid.bottom = cats.length > 12 ? 78 : 58;
    o.xAxis.nameGap = cats.length > 12 ? 58 : 36;
    o.yAxis = Object.assign(axisName(kind === 'act' ? 'std of output (log scale)' : 'std of gradient (log scale)', 56), {
      type: 'value', axisLabel: { color: MUTED, formatter: function (v) { return logLabel(Math.pow(10, v)); } },
      splitLine: { lineStyle: { color: GRID } } }, axis);
    o.tooltip.formatter = function (params) {
      var i = keep[params[0].dataIndex];
      return tooltipLines(params, model.layers[i].name + ' (' + model.layers[i].type + ')',
        function (v) { return fmt(Math.pow(10, v)); });
    };
    o.series = series;
    return series.length ? o : noData(o, 'No diagnosis recorded for this model');
  }

  function histOption(el, model, h) {
    var hist = model.histograms[h], n = model.layers.length, cells = [], top = 0;
    hist.fractions.forEach(function (row, li) {
      row.forEach(function (f, bi) {
        if (isNum(f)) { var v = Math.sqrt(Math.max(0, f)); top = Math.max(top, v); cells.push([bi, li, v]); }
      });
    });
    el.style.height = Math.min(900, Math.max(260, 15 * n + 90)) + 'px';
    var o = base(el, '', []);
    o.title.show = false;
    o.grid = { left: 4, right: 12, top: 6, bottom: 62, containLabel: true };
    o.tooltip = { trigger: 'item', confine: true, textStyle: { fontSize: 12 }, formatter: function (p) {
      var li = p.value[1], bi = p.value[0], lo = hist.min[li], hi = hist.max[li];
      var w = isNum(lo) && isNum(hi) ? (hi - lo) / hist.fractions[li].length : NaN;
      return '<b>' + model.layers[li].name + ' (' + model.layers[li].type + ')</b><br>bin ' + (bi + 1) + ' of ' +
        hist.fractions[li].length + ': [' + fmt(lo + bi * w) + ', ' + fmt(lo + (bi + 1) * w) + ')<br>' +
        (100 * p.value[2] * p.value[2]).toFixed(1) + '% of outputs';
    } };
    o.xAxis = Object.assign(axisName('bins: each layer\'s min → max', 28), {
      type: 'category', data: hist.fractions.length ? hist.fractions[0].map(function (_, i) { return i + 1; }) : [],
      axisLabel: { show: false }, axisTick: { show: false }, axisLine: { show: false }, splitArea: { show: false } });
    o.yAxis = { type: 'category', inverse: true, data: model.layers.map(function (l) { return l.name; }),
      axisLabel: { color: MUTED, fontSize: 10.5, hideOverlap: true,
                   formatter: function (v, i) { return v + ' ' + model.layers[i].type; } },
      axisTick: { show: false }, axisLine: { show: false } };
    o.visualMap = { min: 0, max: top || 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
      itemHeight: 120, itemWidth: 10, text: ['more', 'fewer'], textStyle: { color: MUTED, fontSize: 11 },
      inRange: { color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] } };
    o.series = [{ type: 'heatmap', name: hist.scheme, data: cells, progressive: 0,
                  emphasis: { itemStyle: { borderColor: INK, borderWidth: 1 } } }];
    return cells.length ? o : noData(o, 'No histogram recorded');
  }

  function lossOption(el, model) {
    var loss = model.loss, series = [], names = [], top = -Infinity, bottom = Infinity;
    loss.series.forEach(function (s) {
      s.high.concat(s.mean).forEach(function (v) { if (isNum(v)) { top = Math.max(top, v); bottom = Math.min(bottom, v); } });
    });
    var log = isNum(top) && bottom > 0 && top / bottom > 30;
    loss.series.forEach(function (s) {
      var c = color[s.scheme];
      names.push(s.scheme);
      series.push(line(s.scheme, c, zip(s.x, s.mean, log), { showSymbol: false, lineStyle: { width: 1.8, color: c } }));
      series.push(band(s.scheme, c, s.x, clip(s.low, 0, Infinity), s.high, log));
    });
    if (loss.diverged.length) {
      var capY = isNum(top) ? top : 1;
      names.push({ name: 'diverged', itemStyle: { color: '#b3261e' } });
      series.push({ type: 'scatter', name: 'diverged', z: 4, symbol: 'path://M2,0 L10,8 L18,0 L20,2 L12,10 L20,18 L18,20 L10,12 L2,20 L0,18 L8,10 L0,2 Z',
        symbolSize: 11,
        data: loss.diverged.map(function (d) {
          var y = isNum(d.at[1]) && d.at[1] <= capY && (!log || d.at[1] > 0) ? d.at[1] : capY;
          return { value: [isNum(d.at[0]) ? d.at[0] : 1, y], itemStyle: { color: color[d.scheme] },
                   scheme: d.scheme, seed: d.seed, step: d.at[0] };
        }),
        tooltip: { trigger: 'item', formatter: function (p) {
          return p.marker + p.data.scheme + '<br>seed ' + p.data.seed + ' diverged at step ' + p.data.step;
        } } });
    }
    var o = base(el, 'Training loss per step', names);
    o.xAxis = Object.assign(axisName('step', 30), { type: 'value', min: 0,
      axisLabel: { color: MUTED }, splitLine: { show: false } });
    o.yAxis = Object.assign(axisName('cross-entropy' + (log ? ' (log)' : ''), 48), {
      type: log ? 'log' : 'value', min: log ? null : 0, axisLabel: { color: MUTED, formatter: log ? logLabel : fmt },
      splitLine: { lineStyle: { color: GRID } } });
    o.tooltip.formatter = function (params) { return tooltipLines(params, 'step ' + Math.round(params[0].value[0])); };
    o.series = series;
    return loss.series.length ? o : noData(o, 'No run of this model finished without diverging');
  }

  function targetLine(series) {
    if (series.length && isNum(data.target_accuracy)) {
      series[0].markLine = { silent: true, symbol: 'none', data: [{ yAxis: data.target_accuracy }],
        lineStyle: { color: MUTED, type: 'dotted' },
        label: { formatter: 'target ' + Math.round(100 * data.target_accuracy) + '%', color: MUTED, position: 'insideStartTop' } };
    }
  }

  /* A t-interval from few seeds can leave [0, 1]; the band is drawn clipped to what an accuracy can be. */
  function clip(arr, lo, hi) {
    return arr.map(function (v) { return isNum(v) ? Math.min(hi, Math.max(lo, v)) : v; });
  }

  function accuracyAxis(o) {
    o.yAxis = Object.assign(axisName('test accuracy', 48), { type: 'value', min: function (v) {
      return Math.max(0, Math.floor((v.min - 0.01) * 10) / 10); }, max: function (v) {
      return Math.min(1, Math.ceil((v.max + 0.01) * 10) / 10); }, axisLabel: { color: MUTED, formatter: function (v) {
      return Math.round(v * 100) + '%'; } }, splitLine: { lineStyle: { color: GRID } } });
  }

  function percent(v) { return (100 * v).toFixed(1) + '%'; }

  /* Accuracy against steps, when the study evaluated the test set during training; epoch ends marked. */
  function evalAccuracyOption(el, model) {
    var series = [], names = [], last = 0;
    model.eval_accuracy.forEach(function (s) {
      var c = color[s.scheme];
      names.push(s.scheme);
      s.x.forEach(function (x) { last = Math.max(last, x); });
      series.push(line(s.scheme, c, zip(s.x, s.mean, false), { showSymbol: true, symbolSize: 5 }));
      series.push(band(s.scheme, c, s.x, clip(s.low, 0, 1), clip(s.high, 0, 1), false));
    });
    targetLine(series);
    var spe = model.steps_per_epoch, ends = [];
    for (var e = 1; spe > 0 && e * spe < last; e++) ends.push({ xAxis: e * spe, label: { formatter: 'epoch ' + e } });
    if (ends.length) {
      series.push({ type: 'line', name: '', data: [], silent: true, markLine: { symbol: 'none', data: ends,
        lineStyle: { color: '#b8c0cc', type: 'dashed' }, label: { color: MUTED, position: 'insideStartTop', fontSize: 11 } } });
    }
    var o = base(el, 'Test accuracy during training', names);
    o.xAxis = Object.assign(axisName('step', 30), { type: 'value', min: 0, axisLabel: { color: MUTED },
      splitLine: { show: false } });
    accuracyAxis(o);
    o.tooltip.formatter = function (params) { return tooltipLines(params, 'step ' + Math.round(params[0].value[0]), percent); };
    o.series = series;
    return o;
  }

  function accuracyOption(el, model) {
    if (model.eval_accuracy && model.eval_accuracy.length) return evalAccuracyOption(el, model);
    var series = [], names = [], k = model.accuracy.length, epochs = 1;
    model.accuracy.forEach(function (s, j) {
      var c = color[s.scheme], dodge = (j - (k - 1) / 2) * 0.035;
      var xs = s.x.map(function (e) { epochs = Math.max(epochs, e); return e + dodge; });
      names.push(s.scheme);
      series.push(line(s.scheme, c, zip(xs, s.mean, false), { showSymbol: true, symbolSize: 7 }));
      series.push(band(s.scheme, c, xs, clip(s.low, 0, 1), clip(s.high, 0, 1), false));
      series.push(errorBars(s.scheme, c, xs, clip(s.low, 0, 1), clip(s.high, 0, 1)));
    });
    targetLine(series);
    var o = base(el, 'Test accuracy per epoch', names);
    o.xAxis = Object.assign(axisName('epoch', 30), { type: 'value', min: 0, max: epochs + 1, interval: 1,
      axisLabel: { color: MUTED, formatter: function (v) { return v >= 1 && v <= epochs ? String(v) : ''; } },
      splitLine: { show: false } });
    accuracyAxis(o);
    o.tooltip.formatter = function (params) { return tooltipLines(params, 'epoch ' + Math.round(params[0].value[0]), percent); };
    o.series = series;
    return series.length ? o : noData(o, 'No run of this model finished an epoch');
  }

  function draw(el, option) {
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(option, true);
    el.setAttribute('data-rendered', 'true');
    if (option.xAxis && option.xAxis.type === 'category') el.setAttribute('data-categories', String(option.xAxis.data.length));
    if (option.yAxis && option.yAxis.type === 'category') el.setAttribute('data-rows', String(option.yAxis.data.length));
    return chart;
  }

  function render(el) {
    var model = data.models[+el.getAttribute('data-model')], kind = el.getAttribute('data-kind');
    var all = false;
    var box = document.querySelector('input.all-layers[data-model="' + el.getAttribute('data-model') + '"]');
    if (box) all = box.checked;
    if (kind === 'act' || kind === 'grad') return draw(el, signalOption(el, model, kind, all));
    if (kind === 'hist') return draw(el, histOption(el, model, +el.getAttribute('data-series')));
    if (kind === 'loss') return draw(el, lossOption(el, model));
    if (kind === 'acc') return draw(el, accuracyOption(el, model));
    throw new Error('unknown chart kind ' + kind);
  }

  document.querySelectorAll('div.chart').forEach(function (el) {
    try { charts.push(render(el)); } catch (e) { window.__convinitRecord('chart ' + el.getAttribute('data-kind') + ': ' + e); }
  });
  document.querySelectorAll('input.all-layers').forEach(function (box) {
    box.addEventListener('change', function () {
      document.querySelectorAll('div.chart[data-model="' + box.getAttribute('data-model') + '"]').forEach(function (el) {
        var kind = el.getAttribute('data-kind');
        if (kind === 'act' || kind === 'grad') render(el);
      });
    });
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  (window.__convinitErrors || []).forEach(window.__convinitRecord);
  document.body.setAttribute('data-charts', String(charts.length));
  document.body.setAttribute('data-height', String(document.documentElement.scrollHeight));
})();
