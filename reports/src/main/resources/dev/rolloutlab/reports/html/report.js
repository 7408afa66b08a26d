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

    var LANE_ROW = 14;       // css px per row of the label lane
    var LANE_ROWS_MAX = 4;
    var measurer = document.createElement('canvas').getContext('2d');

    // Places labels in lane rows, most important first (rank 0: what went wrong and the rollback), each in the first
    // row where it overlaps nothing; a label that finds no row is left out (its line stays, hovering names it).
    // xOf maps a marker to its x in the unit of `scale` (css px × scale); returns [{m, x, row, w}] of those placed.
    function layout(markers, xOf, left, right, scale, rows) {
        measurer.font = (11 * scale) + 'px system-ui, sans-serif';
        var taken = [];
        for (var i = 0; i < rows; i++) {
            taken.push([]);
        }
        var placed = [];
        markers.map(function (m) { return { m: m, x: xOf(m) }; })
            .filter(function (v) { return v.x >= left && v.x <= right; })
            .sort(function (a, b) { return a.m.rank - b.m.rank || a.x - b.x; })
            .forEach(function (v) {
                var w = measurer.measureText(v.m.label).width + 6 * scale;
                var lx = Math.max(left, Math.min(v.x - 3 * scale, right - w));
                var row = taken.findIndex(function (t) {
                    return t.every(function (r) { return lx + w + 2 * scale < r[0] || lx > r[1] + 2 * scale; });
                });
                if (row >= 0) {
                    taken[row].push([lx, lx + w]);
                    placed.push({ m: v.m, x: v.x, lx: lx, row: row, w: w });
                }
            });
        return placed;
    }

    // How many lane rows the labels need at full width (at most LANE_ROWS_MAX), from the chart's estimated plot
    // area; decided before the chart exists, because uPlot's padding is fixed at creation.
    function laneRows(markers, xMin, xMax, plotLeft, plotWidth) {
        if (!markers || !markers.length) {
            return 0;
        }
        var placed = layout(markers, function (m) {
            return plotLeft + (m.t - xMin) / Math.max(1e-9, xMax - xMin) * plotWidth;
        }, plotLeft, plotLeft + plotWidth, 1, LANE_ROWS_MAX);
        return Math.max(1, 1 + placed.reduce(function (n, p) { return Math.max(n, p.row); }, -1));
    }

    // Fault, outage and rollback windows as translucent bands over the series (a stacked area would hide anything
    // drawn under it); event lines through the plot with their labels in a lane above it, so no label covers data.
    function decorations(deco, rows) {
        function span(u, a, b, color, hatched) {
            var box = u.bbox;
            var l = Math.max(box.left, u.valToPos(a, 'x', true));
            var r = Math.min(box.left + box.width, u.valToPos(b, 'x', true));
            if (r < box.left || l > box.left + box.width || b < a) {
                return;
            }
            var w = Math.max(r - l, 3 * px());  // a short outage in a long run is narrower than a pixel
            u.ctx.fillStyle = color;
            u.ctx.fillRect(l, box.top, w, box.height);
            if (hatched) {
                var ctx = u.ctx, step = 8 * px();
                ctx.save();
                ctx.beginPath();
                ctx.rect(l, box.top, w, box.height);
                ctx.clip();
                ctx.strokeStyle = 'rgba(90,90,90,0.30)';
                ctx.lineWidth = px();
                for (var x = l - box.height; x < l + w; x += step) {
                    ctx.moveTo(x, box.top + box.height);
                    ctx.lineTo(x + box.height, box.top);
                }
                ctx.stroke();
                ctx.restore();
            }
        }
        function shade(u) {
            u.ctx.save();
            (deco.faults || []).forEach(function (f) { span(u, f[0], f[1], deco.faultFill); });
            (deco.outages || []).forEach(function (o) { span(u, o[0], o[1], deco.outageFill); });
            var rb = deco.rollback;
            if (rb) {
                var restored = rb.restored == null ? deco.xMax : rb.restored;
                span(u, rb.start, restored, deco.rollbackFill);
                var cleanupEnd = rb.cleanupPending ? deco.xMax : rb.complete;
                if (cleanupEnd != null && cleanupEnd > restored) {
                    span(u, restored, cleanupEnd, deco.rollbackTailFill, true);
                }
            }
            u.ctx.restore();
        }
        function mark(u) {
            var ctx = u.ctx, box = u.bbox, p = px(), rowHeight = LANE_ROW * p;
            var laneTop = box.top - rows * rowHeight - 2 * p;
            var placed = layout(deco.markers || [], function (m) {
                return Math.round(u.valToPos(m.t, 'x', true)) + 0.5;
            }, box.left, box.left + box.width, p, rows);
            var labelled = {};
            placed.forEach(function (v) { labelled[v.m.t + '|' + v.m.label] = v; });
            ctx.save();
            ctx.lineWidth = p;
            (deco.markers || []).forEach(function (m) {
                var x = Math.round(u.valToPos(m.t, 'x', true)) + 0.5;
                if (x < box.left || x > box.left + box.width) {
                    return;
                }
                var v = labelled[m.t + '|' + m.label];
                ctx.strokeStyle = m.color;
                ctx.setLineDash([4 * p, 3 * p]);
                ctx.beginPath();
                // A labelled line starts at its label; an unlabelled one shows a short tick in the lane.
                ctx.moveTo(x, v ? laneTop + (v.row + 1) * rowHeight - p : box.top - 5 * p);
                ctx.lineTo(x, box.top + box.height);
                ctx.stroke();
            });
            ctx.setLineDash([]);
            ctx.font = (11 * p) + 'px system-ui, sans-serif';
            ctx.textBaseline = 'top';
            ctx.textAlign = 'left';
            // For the browser test: which labels the lane shows, and whether all of them stay above the plot.
            u.root.parentNode.setAttribute('data-labels', placed.map(function (v) { return v.m.label; }).join('|'));
            u.root.parentNode.setAttribute('data-labels-above-plot', String(placed.every(function (v) {
                return laneTop + (v.row + 1) * rowHeight <= box.top;
            })));
            placed.forEach(function (v) {
                var y = laneTop + v.row * rowHeight;
                ctx.fillStyle = '#fff';
                ctx.fillRect(v.lx, y, v.w, rowHeight - p);
                ctx.strokeStyle = v.m.color;
                ctx.strokeRect(v.lx + 0.5, y + 0.5, v.w - 1, rowHeight - 2 * p);
                ctx.fillStyle = v.m.color;
                ctx.fillText(v.m.label, v.lx + 3 * p, y + 1.5 * p);
            });
            ctx.restore();
        }
        // Hovering near an event line names every event there, labelled in the lane or not.
        function hover(u) {
            var tip = u.root.querySelector('.event-tip');
            if (!tip) {
                tip = document.createElement('div');
                tip.className = 'event-tip';
                u.over.appendChild(tip);
            }
            var left = u.cursor.left;
            var near = left == null || left < 0 ? [] : (deco.markers || []).filter(function (m) {
                return Math.abs(u.valToPos(m.t, 'x') - left) <= 4;
            });
            tip.style.display = near.length ? 'block' : 'none';
            if (near.length) {
                tip.textContent = near.map(function (m) { return m.t.toFixed(2) + ' s  ' + m.label; }).join('\n');
                tip.style.left = Math.min(left + 8, u.over.clientWidth - tip.offsetWidth - 2) + 'px';
            }
        }
        return { hooks: { draw: [shade, mark], setCursor: [hover] } };
    }

    // uPlot's stepped path ends at the last value before a gap, so a second followed by one without data (the
    // candidate's last second before the rollback) would lose its width: draw that last step here.
    function lastSteps(u) {
        var ctx = u.ctx, x = u.data[0], box = u.bbox;
        ctx.save();
        ctx.beginPath();
        ctx.rect(box.left, box.top, box.width, box.height);
        ctx.clip();
        u.series.forEach(function (s, si) {
            var y = u.data[si];
            if (si === 0 || !s.show || !y) {
                return;
            }
            ctx.strokeStyle = s.stroke(u, si);
            ctx.lineWidth = s.width * px();
            ctx.setLineDash((s.dash || []).map(function (d) { return d * px(); }));
            for (var i = 0; i + 1 < y.length; i++) {
                if (y[i] != null && y[i + 1] == null) {
                    var py = Math.round(u.valToPos(y[i], s.scale, true));
                    ctx.beginPath();
                    ctx.moveTo(u.valToPos(x[i], 'x', true), py);
                    ctx.lineTo(u.valToPos(x[i + 1], 'x', true), py);
                    ctx.stroke();
                }
            }
        });
        ctx.restore();
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

    function chart(id, opts, columns, deco, xMin, xMax) {
        var el = document.getElementById(id);
        expected++;
        opts.width = width();
        var rows = laneRows(deco.markers, xMin, xMax, 70, opts.width - 80);
        opts.height = (opts.height || 190) + rows * LANE_ROW;
        opts.padding = [rows * LANE_ROW + 8, 12, 0, 0];
        opts.plugins = [decorations(deco, rows)];
        opts.cursor = { sync: { key: 'rollout-lab' }, drag: { x: true, y: false } };
        opts.scales = opts.scales || {};
        opts.scales.x = { time: false };
        opts.hooks = { draw: [lastSteps, reporter(el)], setScale: [syncX] };
        opts.series[0] = { label: 't', value: function (u, v) { return v == null ? '–' : v.toFixed(1) + ' s'; } };
        opts.axes[0] = { label: data.xLabel, size: 34 };
        opts.axes.forEach(function (a) {
            a.labelSize = 16;
            a.font = '11px system-ui, sans-serif';
            a.labelFont = '12px system-ui, sans-serif';
        });
        charts.push(new uPlot(opts, columns, el));
    }

    // Linear y from zero; the labels have a lane of their own above the plot, so a little room suffices.
    var headroom = { range: function (u, min, max) { return [0, Math.max(1, max) * 1.08]; } };

    // Log y from the decade below the lowest value to a little above the highest.
    var logHeadroom = {
        distr: 3, range: function (u, min, max) {
            if (min == null || max == null) {
                return [0.1, 10];
            }
            var lo = Math.floor(Math.log10(min)), hi = Math.log10(max);
            return [Math.pow(10, lo), Math.pow(10, hi + Math.max(hi - lo, 1) * 0.08)];
        }
    };

    // An analysis rule's threshold as a constant dashed series: in the legend with its rule, and in the y range.
    function thresholdSeries(chartName, x) {
        return (data.thresholds || []).filter(function (t) { return t.chart === chartName; }).map(function (t) {
            return {
                series: {
                    label: 'rule: ' + t.rule, stroke: t.breachedAt == null ? data.colors.step : data.colors.failed,
                    width: 1.5, dash: [8, 4], points: { show: false },
                    value: function () {
                        return fmt(t.value, 2) + { REQUESTS: ' successful / s', ERRORS: ' %', LATENCY: ' ms' }[chartName];
                    }
                },
                values: x.map(function () { return t.value; })
            };
        });
    }

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
        var requestRules = thresholdSeries('REQUESTS', x);
        chart('chart-requests', {
            series: stackSeries.concat(requestRules.map(function (t) { return t.series; })),
            scales: { y: headroom },
            axes: [{}, { label: 'requests / s', size: 60 }]
        }, stackColumns.concat(requestRules.map(function (t) { return t.values; })), deco, 0, data.xMax);

        var errorRules = thresholdSeries('ERRORS', x);
        chart('chart-errors', {
            series: [{}, {
                label: 'all', stroke: data.colors.failed, fill: 'rgba(214,39,40,0.12)', width: 1.5,
                paths: stepped(), points: { show: false },
                value: function (u, v) { return v == null ? '–' : v.toFixed(2) + ' %'; }
            }].concat(data.errorByVersion.map(function (s) {
                return {
                    label: s.name, stroke: s.color, width: 1.5, paths: stepped(), points: { show: false },
                    value: function (u, v) { return v == null ? '–' : v.toFixed(2) + ' %'; }
                };
            })).concat(errorRules.map(function (t) { return t.series; })),
            scales: { y: headroom },
            axes: [{}, { label: 'failed requests %', size: 60 }]
        }, [x, closed(data.errorPct)].concat(data.errorByVersion.map(function (s) { return closed(s.values); }))
            .concat(errorRules.map(function (t) { return t.values; })), deco, 0, data.xMax);

        var latencyRules = thresholdSeries('LATENCY', x);
        chart('chart-latency', {
            series: [{}].concat(data.latency.map(function (s) {
                return {
                    label: s.name, stroke: s.color, width: s.width || 1.5, dash: s.dash ? [5, 3] : undefined,
                    paths: stepped(), points: { show: false },
                    value: function (u, v) { return v == null ? '–' : fmt(v, 2) + ' ms'; }
                };
            })).concat(latencyRules.map(function (t) { return t.series; })),
            scales: { y: logHeadroom },
            axes: [{}, { label: 'latency ms (log)', size: 60 }]
        }, [x].concat(data.latency.map(function (s) { return closed(s.values); }))
            .concat(latencyRules.map(function (t) { return t.values; })), deco, 0, data.xMax);

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
        }, [rep.t.concat([data.xMax])].concat(rep.series.map(function (s) { return closed(s.values); })), deco, 0,
            data.xMax);
    }

    function compareCharts() {
        var runs = data.runs;
        var markers = [{ t: 0, label: 'rollout start', color: data.colors.step, rank: 1 }];
        runs.forEach(function (r) { markers = markers.concat(r.markers); });
        var deco = { markers: markers };
        var xMin = Math.min.apply(null, runs.map(function (r) { return r.t.length ? r.t[0] : 0; }));
        var xMax = Math.max.apply(null, runs.map(function (r) { return r.xMax; }));
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
            chart(id, opts, uPlot.join(tables), deco, xMin, xMax);
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
