// Draws the charts of a rollout-lab report from the inlined JSON (#report-data). The series are computed by the Java
// side (ChartData); this script only plots them with uPlot, one uPlot per chart, and records on the body that it
// drew (body attributes data-charts, data-points, data-render-ms) so a headless browser test can check it
// from the dumped DOM.
(function () {
    'use strict';
    var started = performance.now();
    var data = JSON.parse(document.getElementById('report-data').textContent);
    var body = document.body;
    var charts = [];
    var expected = 0;
    var drawn = 0;
    var syncing = false;

    function px() {
        return uPlot.pxRatio || window.devicePixelRatio || 1;
    }

    function width() {
        return Math.max(480, document.querySelector('.charts').clientWidth - 20);
    }

    // Opaque tint of a #rrggbb colour, so stacked areas drawn over each other never mix.
    function tint(hex, share) {
        var n = parseInt(hex.slice(1), 16);
        var c = [n >> 16, (n >> 8) & 255, n & 255].map(function (v) { return Math.round(255 - (255 - v) * share); });
        return 'rgb(' + c.join(',') + ')';
    }

    function fmt(v, digits) {
        return v == null ? '–' : (Math.abs(v) >= 100 ? Math.round(v).toString() : v.toFixed(digits));
    }

    // The last timeline second lasts until xMax: repeat its value there, so a stepped line covers it.
    function closed(values) {
        return values.concat([values.length ? values[values.length - 1] : null]);
    }

    // Outage windows and the rollback window as translucent bands over the series (a stacked area would hide
    // anything drawn under it), then labelled event markers.
    function decorations(deco) {
        function span(u, a, b, color) {
            var box = u.bbox;
            var l = Math.max(box.left, u.valToPos(a, 'x', true));
            var r = Math.min(box.left + box.width, u.valToPos(b, 'x', true));
            if (r < box.left || l > box.left + box.width || b < a) {
                return;
            }
            u.ctx.fillStyle = color;
            // A short outage in a long run is narrower than a pixel; keep it visible.
            u.ctx.fillRect(l, box.top, Math.max(r - l, 3 * px()), box.height);
        }
        function shade(u) {
            u.ctx.save();
            (deco.faults || []).forEach(function (f) { span(u, f[0], f[1], deco.faultFill); });
            (deco.outages || []).forEach(function (o) { span(u, o[0], o[1], deco.outageFill); });
            var rb = deco.rollback;
            if (rb) {
                var restored = rb.restored == null ? deco.xMax : rb.restored;
                span(u, rb.start, restored, deco.rollbackFill);
                if (rb.complete != null && rb.complete > restored) {
                    span(u, restored, rb.complete, deco.rollbackTailFill);
                }
            }
            u.ctx.restore();
        }
        // Every marker gets a line and, where a label row has room, a label: the lowest rank (what went wrong, the
        // rollback) first. Routine steps (rank 2) too dense to tell apart shrink to unlabelled ticks until zoomed.
        function mark(u) {
            var ctx = u.ctx, box = u.bbox, p = px(), rowHeight = 14 * p, rows = [[], [], []];
            var visible = (deco.markers || []).map(function (m) {
                return { m: m, x: Math.round(u.valToPos(m.t, 'x', true)) + 0.5 };
            }).filter(function (v) { return v.x >= box.left && v.x <= box.left + box.width; });
            var routine = visible.filter(function (v) { return v.m.rank === 2; }).length;
            var dense = routine * 6 * p > box.width;
            ctx.save();
            ctx.font = (11 * p) + 'px system-ui, sans-serif';
            ctx.textBaseline = 'top';
            ctx.textAlign = 'left';
            ctx.lineWidth = p;
            visible.forEach(function (v) {
                var tick = dense && v.m.rank === 2;
                ctx.strokeStyle = v.m.color;
                ctx.setLineDash(tick ? [] : [4 * p, 3 * p]);
                ctx.beginPath();
                ctx.moveTo(v.x, box.top);
                ctx.lineTo(v.x, box.top + (tick ? 6 * p : box.height));
                ctx.stroke();
            });
            visible.filter(function (v) { return !(dense && v.m.rank === 2); })
                .sort(function (a, b) { return a.m.rank - b.m.rank || a.x - b.x; })
                .forEach(function (v) {
                    var w = ctx.measureText(v.m.label).width + 6 * p;
                    var lx = Math.min(v.x + 2 * p, box.left + box.width - w);
                    var row = rows.findIndex(function (taken) {
                        return taken.every(function (r) { return lx + w + 2 * p < r[0] || lx > r[1] + 2 * p; });
                    });
                    if (row < 0) {
                        return; // no room: the line stays, the event table names it
                    }
                    rows[row].push([lx, lx + w]);
                    var y = box.top + (dense ? 7 : 2) * p + row * rowHeight;
                    ctx.fillStyle = 'rgba(255,255,255,0.88)';
                    ctx.fillRect(lx, y, w, rowHeight - p);
                    ctx.fillStyle = v.m.color;
                    ctx.fillText(v.m.label, lx + 3 * p, y + 1.5 * p);
                });
            ctx.restore();
        }
        return { hooks: { draw: [shade, mark] } };
    }

    // Records, once, that the chart drew with data; when all have, records the render time on the body.
    function reporter(el) {
        var reported = false;
        return function (u) {
            if (reported) {
                return;
            }
            reported = true;
            var filled = u.data.slice(1).filter(function (s) {
                return s.some(function (v) { return v != null; });
            }).length;
            el.setAttribute('data-drawn', el.querySelector('canvas') ? 'yes' : 'no');
            el.setAttribute('data-series', String(filled));
            el.setAttribute('data-points', String(u.data[0].length));
            if (++drawn === expected) {
                body.setAttribute('data-charts', String(drawn));
                body.setAttribute('data-render-ms', (performance.now() - started).toFixed(1));
            }
        };
    }

    // Zooming one chart (drag) zooms them all; double click resets.
    function syncX(u, key) {
        if (key !== 'x' || syncing) {
            return;
        }
        syncing = true;
        charts.forEach(function (c) {
            if (c !== u) {
                c.setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
            }
        });
        syncing = false;
    }

    function chart(id, opts, columns, deco) {
        var el = document.getElementById(id);
        expected++;
        opts.width = width();
        opts.height = opts.height || 190;
        opts.plugins = [decorations(deco)];
        opts.cursor = { sync: { key: 'rollout-lab' }, drag: { x: true, y: false } };
        opts.scales = opts.scales || {};
        opts.scales.x = { time: false };
        opts.hooks = { draw: [reporter(el)], setScale: [syncX] };
        opts.series[0] = { label: 't', value: function (u, v) { return v == null ? '–' : v.toFixed(1) + ' s'; } };
        opts.axes[0] = { label: data.xLabel, size: 34 };
        opts.axes.forEach(function (a) {
            a.labelSize = 16;
            a.font = '11px system-ui, sans-serif';
            a.labelFont = '12px system-ui, sans-serif';
        });
        charts.push(new uPlot(opts, columns, el));
    }

    // Linear y from zero, with room at the top for the marker labels.
    var headroom = { range: function (u, min, max) { return [0, Math.max(1, max) * 1.45]; } };

    // Log y from the decade below the lowest value, with the same room: the upper end is raised by 45 % of the
    // decades shown.
    var logHeadroom = {
        distr: 3, range: function (u, min, max) {
            if (min == null || max == null) {
                return [0.1, 10];
            }
            var lo = Math.floor(Math.log10(min)), hi = Math.log10(max);
            return [Math.pow(10, lo), Math.pow(10, hi + Math.max(hi - lo, 1) * 0.45)];
        }
    };

    // A timeline point holds for its whole second [t, t+1); a second without a value is a gap over that second.
    function stepped() {
        return uPlot.paths.stepped({ align: 1, alignGaps: 1 });
    }

    function runCharts() {
        var deco = {
            outages: data.outages, faults: data.faults, rollback: data.rollback, markers: data.markers,
            xMax: data.xMax, outageFill: data.colors.outage, faultFill: data.colors.fault,
            rollbackFill: data.colors.rollback,
            rollbackTailFill: data.colors.rollbackTail
        };
        var x = data.t.concat([data.xMax]);
        body.setAttribute('data-points', String(data.t.length));

        // Requests by version, stacked: series are cumulative sums, drawn top layer first so lower ones paint over;
        // the legend shows each version's own count.
        var raw = data.stack.map(function (s) { return closed(s.values); });
        var cumulative = [];
        raw.forEach(function (values, i) {
            cumulative.push(values.map(function (v, j) { return v + (i ? cumulative[i - 1][j] : 0); }));
        });
        var stackSeries = [{}];
        var stackColumns = [x];
        for (var i = raw.length - 1; i >= 0; i--) {
            (function (k) {
                stackSeries.push({
                    label: data.stack[k].name, stroke: data.stack[k].color, fill: tint(data.stack[k].color, 0.55),
                    width: 1, paths: stepped(), points: { show: false },
                    value: function (u, v, si, idx) { return idx == null ? '–' : String(raw[k][idx]); }
                });
                stackColumns.push(cumulative[k]);
            })(i);
        }
        chart('chart-requests', {
            series: stackSeries,
            scales: { y: headroom },
            axes: [{}, { label: 'requests / s', size: 60 }]
        }, stackColumns, deco);

        chart('chart-errors', {
            series: [{}, {
                label: 'error rate', stroke: data.colors.failed, fill: 'rgba(214,39,40,0.12)', width: 1.5,
                paths: stepped(), points: { show: false },
                value: function (u, v) { return v == null ? '–' : v.toFixed(2) + ' %'; }
            }],
            scales: { y: headroom },
            axes: [{}, { label: 'failed requests %', size: 60 }]
        }, [x, closed(data.errorPct)], deco);

        chart('chart-latency', {
            series: [{}].concat(data.latency.map(function (s) {
                return {
                    label: s.name, stroke: s.color, width: 1.5, paths: stepped(), points: { show: false },
                    value: function (u, v) { return v == null ? '–' : fmt(v, 2) + ' ms'; }
                };
            })),
            scales: { y: logHeadroom },
            axes: [{}, { label: 'latency ms (log)', size: 60 }]
        }, [x].concat(data.latency.map(function (s) { return closed(s.values); })), deco);

        var rep = data.replicas;
        if (!rep) {
            return;
        }
        chart('chart-replicas', {
            height: 160,
            series: [{}].concat(rep.series.map(function (s) {
                return {
                    label: s.name, stroke: s.color, width: 2, paths: stepped(), points: { show: false },
                    value: function (u, v) { return v == null ? '–' : String(v); }
                };
            })),
            scales: { y: headroom },
            axes: [{}, { label: 'ready replicas', size: 60 }]
        }, [rep.t.concat([data.xMax])].concat(rep.series.map(function (s) { return closed(s.values); })), deco);
    }

    function compareCharts() {
        var runs = data.runs;
        var markers = [{ t: 0, label: 'rollout start', color: data.colors.step, rank: 1 }];
        runs.forEach(function (r) { markers = markers.concat(r.markers); });
        var deco = { markers: markers };
        function overlay(id, key, axisLabel, extra, unit) {
            var tables = runs.map(function (r) { return [r.t.concat([r.xMax]), closed(r[key])]; });
            var opts = {
                series: [{}].concat(runs.map(function (r) {
                    return {
                        label: r.name, stroke: r.color, width: 1.5, paths: stepped(), points: { show: false },
                        value: function (u, v) { return v == null ? '–' : fmt(v, 2) + unit; }
                    };
                })),
                scales: { y: extra },
                axes: [{}, { label: axisLabel, size: 60 }]
            };
            chart(id, opts, uPlot.join(tables), deco);
        }
        body.setAttribute('data-points', String(runs.reduce(function (n, r) { return n + r.t.length; }, 0)));
        overlay('chart-errors', 'errorPct', 'failed requests %', headroom, ' %');
        overlay('chart-latency', 'p95', 'p95 latency ms (log)', logHeadroom, ' ms');
    }

    if (data.page === 'run') {
        runCharts();
    } else {
        compareCharts();
    }
    window.addEventListener('resize', function () {
        charts.forEach(function (c) { c.setSize({ width: width(), height: c.height }); });
    });
})();
