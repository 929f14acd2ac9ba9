/*
 * nnserve dashboard. Plain JavaScript, no framework, no build step, nothing fetched from outside the server.
 *
 * Every request goes through api(), which adds the API key (kept in localStorage) as "Authorization: Bearer" and
 * turns problem+json answers into ApiError. The live loss curve reads GET /jobs/{id}/events with fetch() and a
 * streaming Server-Sent Events parser, because EventSource cannot send an Authorization header.
 * Server data only ever reaches the page through textContent, never as HTML.
 */
'use strict';

(function () {

    // ---------------------------------------------------------------- small helpers

    const $ = (id) => document.getElementById(id);

    /** Creates an element: el('td', {className: 'num', title: 'x'}, 'text', childNode, ...). */
    function el(tag, props, ...children) {
        const node = document.createElement(tag);
        if (props) {
            for (const [k, v] of Object.entries(props)) {
                if (v === undefined || v === null || v === false) continue;
                if (k === 'dataset') Object.assign(node.dataset, v);
                else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
                else if (k in node && k !== 'role' && !k.startsWith('aria')) node[k] = v;
                else node.setAttribute(k, v === true ? '' : String(v));
            }
        }
        for (const c of children.flat(Infinity)) {
            if (c === undefined || c === null || c === false) continue;
            node.append(c instanceof Node ? c : document.createTextNode(String(c)));
        }
        return node;
    }

    /** The first defined value among the dotted paths of obj ("architecture.hiddenSize"). */
    function pick(obj, ...paths) {
        for (const path of paths) {
            let v = obj;
            for (const part of path.split('.')) {
                if (v === null || v === undefined) break;
                v = v[part];
            }
            if (v !== undefined && v !== null) return v;
        }
        return undefined;
    }

    /** A list answer may be an array or a page object; the items either way. */
    function items(answer) {
        if (Array.isArray(answer)) return answer;
        if (!answer || typeof answer !== 'object') return [];
        for (const k of ['items', 'content', 'jobs', 'models', 'datasets', 'rows', 'data', 'results']) {
            if (Array.isArray(answer[k])) return answer[k];
        }
        return [];
    }

    const shortId = (id) => (id && id.length > 12 ? id.slice(0, 8) : id || '');
    const isFiniteNumber = (v) => typeof v === 'number' && Number.isFinite(v);
    const pct = (v) => (isFiniteNumber(v) ? (v * 100).toFixed(1) + ' %' : '–');
    const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

    function fmtNumber(v, digits = 4) {
        if (!isFiniteNumber(v)) return '–';
        if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(2);
        return Number(v.toPrecision(digits)).toString();
    }

    function fmtDuration(ms) {
        if (!isFiniteNumber(ms) || ms < 0) return '–';
        const s = Math.round(ms / 1000);
        if (s < 60) return s + ' s';
        const m = Math.floor(s / 60);
        if (m < 60) return m + ' min ' + (s % 60) + ' s';
        return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
    }

    function fmtDate(iso) {
        if (!iso) return '–';
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
    }

    /** Progress of a job as a fraction 0..1. */
    function jobFraction(job) {
        if (!job) return 0;
        if (job.status === 'SUCCEEDED') return 1;
        if (isFiniteNumber(job.iteration) && isFiniteNumber(job.iterations) && job.iterations > 0) {
            return Math.min(1, job.iteration / job.iterations);
        }
        if (isFiniteNumber(job.progress)) return Math.min(1, job.progress > 1 ? job.progress / 100 : job.progress);
        return 0;
    }

    // ---------------------------------------------------------------- JSON with 64-bit integers

    /*
     * Seeds are signed 64-bit integers, and a double holds integers exactly only up to 2^53: JSON.parse would show
     * 9223372036854775807 as 9223372036854775808, and JSON.stringify would send a rounded seed. So integer literals
     * too large for a double are read as BigInt, and BigInt values are written as their digits.
     */

    /** Marks a big integer while it passes through JSON.parse or JSON.stringify as a string. */
    const BIG_MARK = '\u0001';
    /** A string literal (skipped whole, digits in it included), or an integer literal of 16 or more digits. */
    const LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

    function parseJson(text) {
        let marked = false;
        const safe = text.replace(LONG_INTEGER, (token) => {
            if (token[0] === '"' || Number.isSafeInteger(Number(token))) return token;
            marked = true;
            return '"\\u0001' + token + '"';
        });
        if (!marked) return JSON.parse(text);
        return JSON.parse(safe, (key, value) => (typeof value === 'string' && value[0] === BIG_MARK && /^-?\d+$/.test(value.slice(1))
            ? BigInt(value.slice(1)) : value));
    }

    /** JSON.stringify, but BigInt values (which it refuses) are written as their exact digits. */
    function toJson(value, indent) {
        const text = JSON.stringify(value, (key, v) => (typeof v === 'bigint' ? BIG_MARK + v : v), indent);
        // the mark is a control character, which JSON.stringify writes as the escape \u0001
        return text.replace(/"\\u0001(-?\d+)"/g, '$1');
    }

    // ---------------------------------------------------------------- API access and errors

    const KEY_STORAGE = 'nnserve.apiKey';

    function apiKey() {
        try {
            return localStorage.getItem(KEY_STORAGE) || '';
        } catch (e) {
            return '';
        }
    }

    class ApiError extends Error {
        constructor(status, problem) {
            super(problem.detail || problem.title || 'Request failed');
            this.status = status;
            this.problem = problem;
        }
    }

    /** The error for a request that got no answer at all: the service is down, restarting, or out of reach. */
    function unreachable(cause) {
        const error = new ApiError(0, {title: 'The server could not be reached', detail: String(cause.message || cause)});
        error.unreachable = true;
        return error;
    }

    function authHeaders(accept) {
        const headers = new Headers({Accept: accept});
        const key = apiKey();
        if (key) headers.set('Authorization', 'Bearer ' + key);
        return headers;
    }

    async function toApiError(res) {
        let problem = {};
        const type = res.headers.get('Content-Type') || '';
        try {
            if (type.includes('json')) {
                const body = await res.json();
                if (body && typeof body === 'object') problem = body;
            } else {
                const text = (await res.text()).trim();
                if (text && !text.startsWith('<')) problem = {detail: text.slice(0, 400)};
            }
        } catch (e) {
            // an unreadable body: the status line says enough
        }
        if (!problem.title) problem.title = 'Request failed (' + res.status + ')';
        if (!problem.status) problem.status = res.status;
        if (res.status === 401) {
            problem.hint = 'This server needs an API key: enter it in the "API key" field at the top and save.';
        } else if (res.status === 403) {
            problem.hint = 'The saved API key is not allowed to do this (it lacks the scope).';
        } else if (res.status === 429) {
            const after = res.headers.get('Retry-After');
            if (after) problem.hint = 'Try again in ' + after + ' s.';
        } else if (res.status === 409 && typeof problem.detail === 'string') {
            // the server names the API call; on this page it is a button (said inside the server's brackets, if any)
            problem.detail = problem.detail.replace(/POST \/jobs\/\S+?\/cancel(\))?/g,
                (call, bracket) => (bracket ? call.slice(0, -1) + ', the Cancel button)' : call + ' (the Cancel button)'));
        }
        return new ApiError(res.status, problem);
    }

    /**
     * Calls the API. Options: method, json (sent as JSON), body (FormData or text), accept, signal, text (answer the
     * body as it came). Answers the parsed JSON (integers beyond 2^53 as BigInt), or text, or null for 204; throws
     * ApiError for a non-2xx answer or no answer.
     */
    async function api(path, options = {}) {
        const headers = authHeaders(options.accept || 'application/json, application/problem+json');
        let body = options.body;
        if (options.json !== undefined) {
            headers.set('Content-Type', 'application/json');
            body = toJson(options.json);
        }
        let res;
        try {
            res = await fetch(path, {method: options.method || 'GET', headers, body, signal: options.signal, cache: 'no-store'});
        } catch (e) {
            if (e.name === 'AbortError') throw e;
            throw unreachable(e);
        }
        if (!res.ok) throw await toApiError(res);
        if (res.status === 204) return null;
        const type = res.headers.get('Content-Type') || '';
        const text = await res.text();
        return type.includes('json') && !options.text ? parseJson(text) : text;
    }

    /** An entry of a problem's errors list as one line of text. */
    function errorText(e) {
        if (!e || typeof e !== 'object') return String(e);
        const message = e.message || JSON.stringify(e);
        return e.field ? e.field + ': ' + message : message;
    }

    /**
     * What a problem's detail says beyond its errors list, or ''. The server's detail usually repeats the first
     * error and points to the list ("...: line 3 ...: 'abc' is not a number (and 1 more; see 'errors')"), which the
     * box shows anyway: shown twice, one problem reads as two.
     */
    function detailBeyondErrors(detail, errors) {
        let text = String(detail || '').replace(/\s*\(and \d+ more; see 'errors'\)/, '').replace(/;?\s*see 'errors'/, '');
        for (const e of errors) {
            const candidates = [errorText(e), e && typeof e === 'object' ? e.message : null].filter(Boolean);
            const found = candidates.find((c) => text.includes(c));
            if (found) text = text.replace(found, '');
        }
        text = text.replace(/[\s:;,]+$/, '').replace(/^[\s:;,.]+/, '').trim();
        if (!/[A-Za-z]/.test(text)) return '';
        return /[.!?]$/.test(text) ? text : text + '.';
    }

    /** Renders an error (ApiError or any Error) as a readable box into container; clears it for null. */
    function showError(container, error) {
        container.replaceChildren();
        if (!error) return;
        const problem = error instanceof ApiError ? error.problem : {title: 'Something went wrong', detail: String(error.message || error)};
        const box = el('div', {className: 'problem', role: 'alert'},
            el('strong', null, problem.title),
            problem.status ? el('span', {className: 'muted'}, ' (' + problem.status + ')') : null);
        const errors = Array.isArray(problem.errors) ? problem.errors : [];
        const detail = errors.length ? detailBeyondErrors(problem.detail, errors) : problem.detail;
        if (detail && detail !== problem.title) box.append(el('p', null, detail));
        if (errors.length) {
            box.append(el('ul', null, errors.map((e) => el('li', null,
                e && e.field ? el('code', null, e.field) : null,
                e && e.field ? ': ' : null,
                e && typeof e === 'object' ? (e.message || JSON.stringify(e)) : String(e)))));
        }
        if (problem.hint) box.append(el('p', {className: 'hint'}, problem.hint));
        container.append(box);
    }

    let noticeTimer = null;

    function notice(text, isError) {
        const box = $('notice');
        box.textContent = text;
        box.classList.toggle('error', !!isError);
        clearTimeout(noticeTimer);
        noticeTimer = setTimeout(() => { box.textContent = ''; }, 6000);
    }

    // ---------------------------------------------------------------- Server-Sent Events over fetch

    /**
     * Reads a text/event-stream answer and calls onEvent(name, data, id) for every event (data lines joined with
     * "\n"; the name defaults to "message"). Resolves when the server closes the stream.
     */
    async function readEventStream(path, onEvent, signal) {
        let res;
        try {
            res = await fetch(path, {headers: authHeaders('text/event-stream'), signal, cache: 'no-store'});
        } catch (e) {
            if (e.name === 'AbortError') throw e;
            throw unreachable(e);
        }
        if (!res.ok) throw await toApiError(res);
        if (!res.body) throw new ApiError(0, {title: 'This browser cannot stream responses'});
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        let name = '';
        let data = [];
        let id = null;
        const dispatch = () => {
            if (data.length) onEvent(name || 'message', data.join('\n'), id);
            name = '';
            data = [];
        };
        const line = (text) => {
            if (text === '') return dispatch();
            if (text.startsWith(':')) return; // a comment, e.g. a heartbeat
            const colon = text.indexOf(':');
            const field = colon < 0 ? text : text.slice(0, colon);
            let value = colon < 0 ? '' : text.slice(colon + 1);
            if (value.startsWith(' ')) value = value.slice(1);
            if (field === 'event') name = value;
            else if (field === 'data') data.push(value);
            else if (field === 'id') id = value;
        };
        for (;;) {
            const {value, done} = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, {stream: true});
            let nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
                let text = buffer.slice(0, nl);
                if (text.endsWith('\r')) text = text.slice(0, -1);
                buffer = buffer.slice(nl + 1);
                line(text);
            }
        }
        buffer += decoder.decode();
        if (buffer) line(buffer.replace(/\r$/, ''));
        dispatch();
    }

    // ---------------------------------------------------------------- charts (canvas, hand-written)

    /** Round tick values covering [lo, hi] with about `count` steps. */
    function ticks(lo, hi, count) {
        if (!(hi > lo)) return [lo];
        const raw = (hi - lo) / count;
        const mag = Math.pow(10, Math.floor(Math.log10(raw)));
        const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
        const out = [];
        for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
        return out;
    }

    /**
     * Draws line series on a canvas. series: [{points: [[x, y], ...], color, width, dots}]. Sizes itself to the
     * canvas's CSS box and the device pixel ratio.
     */
    function drawChart(canvas, {series, xLabel, yLabel, yMin, yMax, xMin, xMax, emptyText, integerX, yFormat, yTicks, fromZero = true}) {
        const ratio = window.devicePixelRatio || 1;
        const cssWidth = canvas.clientWidth || canvas.width;
        const cssHeight = canvas.clientHeight || canvas.height;
        if (canvas.width !== Math.round(cssWidth * ratio) || canvas.height !== Math.round(cssHeight * ratio)) {
            canvas.width = Math.round(cssWidth * ratio);
            canvas.height = Math.round(cssHeight * ratio);
        }
        const ctx = canvas.getContext('2d');
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.clearRect(0, 0, cssWidth, cssHeight);
        ctx.font = '11px system-ui, sans-serif';

        const all = series.flatMap((s) => s.points).filter((p) => isFiniteNumber(p[0]) && isFiniteNumber(p[1]));
        const pad = {left: 52, right: 12, top: 12, bottom: 34};
        const w = cssWidth - pad.left - pad.right;
        const h = cssHeight - pad.top - pad.bottom;
        if (!all.length) {
            ctx.fillStyle = '#5c6675';
            ctx.textAlign = 'center';
            ctx.fillText(emptyText || 'no data yet', cssWidth / 2, cssHeight / 2);
            return;
        }
        let x0 = xMin ?? Math.min(...all.map((p) => p[0]));
        let x1 = xMax ?? Math.max(...all.map((p) => p[0]));
        if (x1 <= x0) x1 = x0 + 1;
        let y0 = yMin ?? Math.min(...all.map((p) => p[1]));
        let y1 = yMax ?? Math.max(...all.map((p) => p[1]));
        if (y1 <= y0) { y1 = y0 + (Math.abs(y0) || 1) * 0.1; y0 -= (Math.abs(y0) || 1) * 0.1; }
        if (yMin === undefined) y0 = fromZero && y0 >= 0 ? 0 : y0 - (y1 - y0) * 0.05;
        if (yMax === undefined) y1 += (y1 - y0) * 0.05;
        const sx = (x) => pad.left + ((x - x0) / (x1 - x0)) * w;
        const sy = (y) => pad.top + h - ((y - y0) / (y1 - y0)) * h;

        // grid and axes
        ctx.strokeStyle = '#eceef1';
        ctx.fillStyle = '#5c6675';
        ctx.lineWidth = 1;
        ctx.textAlign = 'right';
        ctx.textBaseline = 'middle';
        for (const t of (yTicks ? yTicks(y0, y1, h) : ticks(y0, y1, 5))) {
            const y = Math.round(sy(t)) + 0.5;
            ctx.beginPath(); ctx.moveTo(pad.left, y); ctx.lineTo(pad.left + w, y); ctx.stroke();
            ctx.fillText(yFormat ? yFormat(t) : fmtNumber(t, 3), pad.left - 6, y);
        }
        ctx.textAlign = 'center';
        ctx.textBaseline = 'top';
        let xt = ticks(x0, x1, Math.max(2, Math.floor(w / 80)));
        if (integerX) xt = xt.filter((t) => Number.isInteger(t));
        for (const t of xt) {
            const x = Math.round(sx(t)) + 0.5;
            ctx.beginPath(); ctx.moveTo(x, pad.top); ctx.lineTo(x, pad.top + h); ctx.stroke();
            // the last label ("10000") is kept inside the canvas rather than cut at its edge
            const label = fmtNumber(t, 6);
            ctx.fillText(label, Math.min(x, cssWidth - ctx.measureText(label).width / 2 - 1), pad.top + h + 4);
        }
        ctx.strokeStyle = '#b9c0ca';
        ctx.strokeRect(pad.left + 0.5, pad.top + 0.5, w, h);
        ctx.fillText(xLabel, pad.left + w / 2, pad.top + h + 18);
        ctx.save();
        ctx.translate(12, pad.top + h / 2);
        ctx.rotate(-Math.PI / 2);
        ctx.textBaseline = 'middle';
        ctx.fillText(yLabel, 0, 0);
        ctx.restore();

        // series, clipped to the plot
        ctx.save();
        ctx.beginPath();
        ctx.rect(pad.left, pad.top, w, h);
        ctx.clip();
        for (const s of series) {
            const pts = s.points.filter((p) => isFiniteNumber(p[0]) && isFiniteNumber(p[1]));
            if (!pts.length) continue;
            ctx.strokeStyle = s.color;
            ctx.fillStyle = s.color;
            ctx.lineWidth = s.width || 1.5;
            ctx.lineJoin = 'round';
            ctx.beginPath();
            pts.forEach((p, i) => (i ? ctx.lineTo(sx(p[0]), sy(p[1])) : ctx.moveTo(sx(p[0]), sy(p[1]))));
            ctx.stroke();
            if (s.dots || pts.length === 1) {
                for (const p of pts) {
                    ctx.beginPath();
                    ctx.arc(sx(p[0]), sy(p[1]), 2.8, 0, 2 * Math.PI);
                    ctx.fill();
                }
            }
        }
        ctx.restore();
    }

    /**
     * Ticks for a log10 axis over [lo, hi] (in log units): 1, 2 and 5 per decade, else 1 and 3, else the decades,
     * whichever first leaves at least 34 px between labels on an axis `pixels` high.
     */
    function logTicks(lo, hi, pixels) {
        let out = [];
        for (const steps of [[1, 2, 5], [1, 3], [1]]) {
            out = [];
            for (let d = Math.floor(lo); d <= Math.ceil(hi); d++) {
                for (const m of steps) {
                    const t = d + Math.log10(m);
                    if (t >= lo && t <= hi) out.push(t);
                }
            }
            if (out.length <= pixels / 34) break;
        }
        return out;
    }

    /**
     * At most about `buckets` points of [x, y] pairs: the mean of each bucket of consecutive points, so a curve of
     * a million iterations draws as fast as one of a hundred.
     */
    function downsample(points, buckets) {
        const n = points.length;
        if (n <= buckets) return points;
        const out = [];
        const size = n / buckets;
        for (let b = 0; b < buckets; b++) {
            const from = Math.floor(b * size);
            const to = Math.min(n, Math.floor((b + 1) * size));
            let sx = 0;
            let sy = 0;
            for (let i = from; i < to; i++) {
                sx += points[i][0];
                sy += points[i][1];
            }
            if (to > from) out.push([sx / (to - from), sy / (to - from)]);
        }
        return out;
    }

    /** The finite values of a sparse array as [index, value] pairs. */
    function indexed(values) {
        const out = [];
        values.forEach((v, i) => { if (isFiniteNumber(v)) out.push([i, v]); });
        return out;
    }

    /**
     * Centred moving average of the finite values (a window of 1 % of the curve on each side, at least 3 and at
     * most 200 points, narrower near the ends), as [index, mean] pairs: it follows a steep start without the lag
     * of an exponential average.
     */
    function smooth(values) {
        const points = indexed(values);
        const n = points.length;
        const half = Math.min(200, Math.max(3, Math.round(n / 100)));
        const prefix = new Float64Array(n + 1);
        points.forEach((p, i) => { prefix[i + 1] = prefix[i] + p[1]; });
        return points.map((p, i) => {
            const k = Math.min(half, i, n - 1 - i);
            return [p[0], (prefix[i + k + 1] - prefix[i - k]) / (2 * k + 1)];
        });
    }

    // ---------------------------------------------------------------- state

    const state = {
        datasets: [],
        jobs: [],
        models: [],
        watch: null,      // {id, job, loss: [], epochs: Map(epoch -> metrics), controller}
        model: null,      // the model shown in the card
        rowSource: null,  // {datasetId, index, label, className} of the row in the predict box
        rowsUnsupported: false,
        // per list: did its last load succeed (only then does an empty table mean "none"), and its last error
        loaded: {datasets: false, jobs: false, models: false},
        listErrors: {datasets: null, jobs: null, models: null},
        jobsPage: {page: 0, total: 0},          // GET /jobs counts its jobs
        modelsPage: {offset: 0, more: false},   // GET /models does not: whether older ones exist is all we know
    };

    /** Rows per page of the jobs and models tables. */
    const PAGE_SIZE = 20;
    /** Per list, the number of its latest load: the answer of an older one (another page, say) is dropped. */
    const listLoads = {datasets: 0, jobs: 0, models: 0};

    // ---------------------------------------------------------------- datasets

    /**
     * Reads a list (datasets, jobs, models) into state[key] and answers the server's answer; a failure shows in the
     * panel and keeps the old list. Answers undefined after a failure, and when a later load of the same list was
     * started meanwhile (the periodic refresh of one page and a click on "Older"): the later one has the say.
     */
    async function loadList(path, key) {
        const box = $(key + '-error');
        const load = ++listLoads[key];
        try {
            const answer = await api(path);
            if (load !== listLoads[key]) return undefined;
            state[key] = items(answer);
            state.loaded[key] = true;
            state.listErrors[key] = null;
            showError(box, null);
            return answer;
        } catch (e) {
            if (load !== listLoads[key]) return undefined;
            state.loaded[key] = false;
            state.listErrors[key] = e;
            showError(box, e);
            return undefined;
        }
    }

    /**
     * Shows "21–40 of 66" and which way there are more rows: from is the index of the first row shown, count the
     * rows shown, of the total (or a text such as "more than 40"), older whether rows follow. A list that fits on
     * one page has no pager.
     */
    function renderPager(key, from, count, of, older) {
        $(key + '-pager').hidden = from === 0 && !older;
        const range = $(key + '-range');
        const text = count ? (from + 1) + '–' + (from + count) + ' of ' + of : '';
        // set only when it changes: it is a live region, and the list is read again every few seconds
        if (range.textContent !== text) range.textContent = text;
        $(key + '-newer').disabled = from === 0;
        $(key + '-older').disabled = !older;
    }

    /**
     * The "nothing here" row of an empty table, or none: it is said only when the list did load, since under a
     * failed load ("needs an API key", "could not be reached") it would be untrue.
     */
    function emptyRows(key, columns, text) {
        return state.loaded[key] && !state[key].length ? [el('tr', null, el('td', {colSpan: columns, className: 'empty'}, text))] : [];
    }

    async function loadDatasets() {
        await loadList('/datasets', 'datasets');
        renderDatasets();
    }

    /**
     * A table row that is chosen by a click, or by Enter or Space when it has the focus. The chosen row says so with
     * aria-current as well as its colour, for those who do not see the colour.
     */
    function choiceRow(id, label, selected, onChoose, ...cells) {
        return el('tr', {
            className: 'clickable' + (selected ? ' selected' : ''), tabIndex: 0, dataset: {id}, 'aria-label': label,
            'aria-current': selected ? 'true' : null,
            onclick: onChoose,
            onkeydown: (e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onChoose();
                }
            },
        }, ...cells);
    }

    /**
     * Puts new rows into a table body. A row that had the keyboard focus is replaced by a new node too: the focus
     * goes to the new row of the same id, else it would fall to <body> and a keyboard user would start over from
     * the top of the page after every choice and every refresh.
     */
    function replaceRows(body, rows) {
        const focused = document.activeElement;
        const id = focused && focused.parentNode === body ? focused.dataset.id : undefined;
        body.replaceChildren(...rows);
        if (id === undefined) return;
        const again = [...body.rows].find((row) => row.dataset.id === id);
        if (again) again.focus({preventScroll: true});
    }

    /**
     * A table cell for a name of any length (a dataset called after its file, say): cut with an ellipsis at the
     * column's limit, so that the other columns stay in view, with the whole name in its title.
     */
    function nameCell(name, title) {
        const text = String(name ?? '–');
        return el('td', {className: 'name', title: title || text}, el('span', {className: 'clip'}, text));
    }

    /** A dataset's name for people: its name when the list knows it, else its (shortened) id. */
    function datasetLabel(id) {
        const d = state.datasets.find((x) => x.id === id);
        return d && d.name ? d.name : shortId(id) || '–';
    }

    /** The title of a dataset cell: the whole name, and the id when it is another. */
    function datasetTitle(id, knownName) {
        const name = knownName || (state.datasets.find((x) => x.id === id) || {}).name;
        if (!id) return name || null;
        return name && name !== id ? name + ' (' + id + ')' : id;
    }

    function renderDatasets() {
        fillDatasetSelect($('train-dataset'), $('train-dataset').value);
        fillDatasetSelect($('predict-dataset'), $('predict-dataset').value);
        const body = $('datasets-table').tBodies[0];
        const chosen = $('train-dataset').value;
        replaceRows(body, [...state.datasets.map((d) => choiceRow(d.id, 'Train on ' + (d.name || d.id), d.id === chosen,
            () => {
                $('train-dataset').value = d.id;
                renderDatasets();
            },
            nameCell(d.name || d.id, (d.name || d.id) + (d.classNames ? '\nClasses: ' + d.classNames.join(', ') : '')),
            el('td', {className: 'mono', title: d.id}, shortId(d.id)),
            el('td', {className: 'num'}, d.rows),
            el('td', {className: 'num'}, d.features),
            el('td', {className: 'num'}, d.classes))),
            ...emptyRows('datasets', 5, 'No datasets yet.')]);
    }

    function fillDatasetSelect(select, keep) {
        select.replaceChildren(...state.datasets.map((d) => el('option', {value: d.id},
            (d.name || d.id) + ' (' + d.rows + ' × ' + d.features + ', ' + d.classes + ' classes)')));
        if (keep && state.datasets.some((d) => d.id === keep)) select.value = keep;
    }

    async function uploadCsv(event) {
        event.preventDefault();
        const file = $('upload-file').files[0];
        const out = $('upload-result');
        if (!file) {
            showError(out, new Error('Choose a CSV file first.'));
            return;
        }
        const params = new URLSearchParams();
        const name = $('upload-name').value.trim() || file.name.replace(/(\.csv)?(\.gz)?$/i, '');
        params.set('name', name);
        const label = $('upload-label').value.trim();
        if (label) params.set('label', label);
        const form = new FormData();
        form.append('file', file, file.name);
        $('upload-button').disabled = true;
        try {
            const summary = await api('/datasets?' + params, {method: 'POST', body: form});
            showError(out, null);
            out.append(el('p', null, 'Registered ', el('strong', null, summary.name || summary.id), ': ',
                summary.rows + ' rows, ' + summary.features + ' features, ' + summary.classes + ' classes.'));
            await loadDatasets();
            $('train-dataset').value = summary.id;
        } catch (e) {
            showError(out, e);
        } finally {
            $('upload-button').disabled = false;
        }
    }

    // ---------------------------------------------------------------- training form

    const NUMBER_FIELDS = ['hiddenSize', 'epochs', 'batchSize', 'learningRate', 'reg', 'validationSplit'];
    const INT64_MIN = -(2n ** 63n);
    const INT64_MAX = 2n ** 63n - 1n;
    const CHOICE_FIELDS = ['updateRule', 'loss', 'regularization', 'preprocessing'];

    /**
     * Shows the server's defaults as placeholders, read from the OpenAPI description of the training request, so
     * the form never states a default the server does not use. Without it the fields just say "default".
     */
    async function loadDefaults() {
        let properties;
        try {
            properties = pick(await api('/v3/api-docs'), 'components.schemas.TrainRequest.properties');
        } catch (e) {
            return;
        }
        if (!properties) return;
        const form = $('train-form');
        for (const name of NUMBER_FIELDS) {
            const value = pick(properties, name + '.default');
            if (value !== undefined && name !== 'learningRate') form.elements[name].placeholder = String(value);
        }
        for (const name of CHOICE_FIELDS) {
            const value = pick(properties, name + '.default');
            const first = form.elements[name].options[0];
            if (value !== undefined && first && first.value === '') first.textContent = 'default (' + value + ')';
        }
    }

    /**
     * What is wrong with a number field, as the browser reads it, or null. A type=number input whose text is not a
     * number ("1e", or "0,01" on an English page) has the value '', the same as an empty field: without asking
     * validity.badInput the form would send nothing for it and the job would train with the default.
     */
    function numberProblem(input) {
        const v = input.validity;
        if (!v) return null;
        if (v.badInput) return 'is not a number: write it with a dot for decimals (0.01, 1e-3)';
        // Some browsers drop a decimal comma as it is typed: "0,01" becomes 001, a valid 1. Nobody writes a
        // leading zero on purpose, so it is asked about rather than sent.
        if (/^-?0\d/.test(input.value)) return 'reads as ' + input.value + ': write decimals with a dot (0.01)';
        if (v.rangeUnderflow) return 'must be at least ' + input.min;
        if (v.rangeOverflow) return 'must be at most ' + input.max;
        if (v.stepMismatch) return 'must be a whole number';
        return null;
    }

    /**
     * The seed field: {} when empty (the server draws one), {seed} as a BigInt, so that all 64 bits reach the
     * request (Number() would round anything past 2^53), or {problem}.
     */
    function readSeed(raw) {
        if (raw === '') return {};
        if (!/^-?\d+$/.test(raw)) return {problem: 'must be a whole number (digits, with a minus sign if negative)'};
        const seed = BigInt(raw);
        if (seed < INT64_MIN || seed > INT64_MAX) {
            return {problem: 'must be between ' + INT64_MIN + ' and ' + INT64_MAX + ' (a signed 64-bit integer)'};
        }
        return {seed};
    }

    function clearFieldErrors(form) {
        form.querySelectorAll('[aria-invalid]').forEach((n) => {
            n.removeAttribute('aria-invalid');
            n.removeAttribute('aria-describedby');
        });
        form.querySelectorAll('.field-error').forEach((n) => n.remove());
    }

    function markFieldErrors(form, error) {
        const errors = error instanceof ApiError && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        for (const e of errors) {
            const input = e && e.field ? form.querySelector('[name="' + CSS.escape(e.field) + '"]') : null;
            if (!input) continue;
            input.setAttribute('aria-invalid', 'true');
            const msg = el('p', {className: 'field-error', id: input.id + '-error'}, e.message);
            input.setAttribute('aria-describedby', msg.id);
            input.after(msg);
        }
    }

    async function startTraining(event) {
        event.preventDefault();
        const form = $('train-form');
        clearFieldErrors(form);
        const request = {datasetId: $('train-dataset').value};
        const local = [];
        for (const name of NUMBER_FIELDS) {
            const problem = numberProblem(form.elements[name]);
            if (problem) {
                local.push({field: name, message: problem});
                continue;
            }
            const raw = form.elements[name].value.trim();
            if (raw === '') continue;
            const value = Number(raw);
            if (!Number.isFinite(value)) local.push({field: name, message: 'must be a number'});
            else request[name] = value;
        }
        const seed = readSeed(form.elements.seed.value.trim());
        if (seed.problem) local.push({field: 'seed', message: seed.problem});
        else if (seed.seed !== undefined) request.seed = seed.seed;
        for (const name of CHOICE_FIELDS) {
            const value = form.elements[name].value;
            if (value) request[name] = value;
        }
        if (!request.datasetId) local.push({field: 'datasetId', message: 'choose a dataset (upload one if the list is empty)'});
        if (local.length) {
            const error = new ApiError(0, {title: 'Check the form', errors: local});
            markFieldErrors(form, error);
            showError($('train-error'), error);
            // the first field to correct, so that a keyboard user lands where the message is
            const first = form.querySelector('[aria-invalid=true]');
            if (first) first.focus();
            return;
        }
        $('train-button').disabled = true;
        try {
            const job = await api('/train', {method: 'POST', json: request});
            showError($('train-error'), null);
            notice('Job ' + shortId(job.id) + ' queued.');
            watchJob(job.id, job);
            showNewJob(job);
        } catch (e) {
            markFieldErrors(form, e);
            showError($('train-error'), e);
        } finally {
            $('train-button').disabled = false;
        }
    }

    // ---------------------------------------------------------------- jobs list

    async function loadJobs() {
        const paging = state.jobsPage;
        const answer = await loadList('/jobs?page=' + paging.page + '&size=' + PAGE_SIZE, 'jobs');
        if (answer && isFiniteNumber(answer.total)) {
            paging.total = answer.total;
            // jobs deleted since can leave this page past the end: show the last page that has jobs
            if (!state.jobs.length && paging.page > 0 && paging.total > 0) {
                paging.page = Math.ceil(paging.total / PAGE_SIZE) - 1;
                return loadJobs();
            }
        }
        // the followed job's stream is newer than the list
        const watched = state.watch && state.watch.job;
        const listed = watched && state.jobs.find((j) => j.id === watched.id);
        if (listed && !TERMINAL.has(watched.status)) Object.assign(listed, watched);
        renderJobs();
    }

    /** Shows another page of jobs: 0 is the newest. */
    function showJobsPage(page) {
        state.jobsPage.page = Math.max(0, page);
        return loadJobs();
    }

    /** A job just queued from the form: the first page shows it at once, before the list is read again. */
    function showNewJob(job) {
        if (state.jobsPage.page === 0) {
            state.jobs = [job, ...state.jobs.filter((j) => j.id !== job.id)].slice(0, PAGE_SIZE);
            state.jobsPage.total++;
        }
        state.jobsPage.page = 0;
        renderJobs();
        loadJobs();
    }

    /**
     * Takes news of a job (from its stream, several times a second) into its row, if the page shown has it. Only
     * that row's cells are redone: the table is not rebuilt at every event, and the row keeps the focus if it has it.
     */
    function updateJob(job) {
        const listed = state.jobs.find((j) => j.id === job.id);
        if (!listed) return;
        Object.assign(listed, job);
        const row = [...$('jobs-table').tBodies[0].rows].find((r) => r.dataset.id === job.id);
        if (!row) return;
        row.replaceChildren(...jobCells(listed));
        row.setAttribute('aria-label', jobLabel(listed));
    }

    /**
     * A job row's name for screen readers: what choosing it does, and the job's status, which its cells show as a
     * coloured badge and a bar.
     */
    function jobLabel(job) {
        const datasetId = pick(job, 'request.datasetId', 'datasetId');
        const done = TERMINAL.has(job.status) ? '' : ', ' + Math.round(jobFraction(job) * 100) + ' % done';
        return 'Follow job ' + shortId(job.id) + ' on ' + datasetLabel(datasetId) + ': ' + (job.status || 'status unknown') + done;
    }

    function jobCells(job) {
        const fraction = jobFraction(job);
        const datasetId = pick(job, 'request.datasetId', 'datasetId');
        return [
            el('td', {className: 'mono', title: job.id}, shortId(job.id)),
            nameCell(datasetLabel(datasetId), datasetTitle(datasetId)),
            el('td', {title: TERMINAL.has(job.status) ? null : Math.round(fraction * 100) + ' % done'},
                el('span', {className: 'badge ' + job.status}, job.status),
                TERMINAL.has(job.status) ? null : el('span', {className: 'mini-progress'},
                    el('span', {style: 'width:' + (fraction * 100).toFixed(1) + '%'}))),
            el('td', {className: 'num'}, fmtNumber(job.loss)),
        ];
    }

    function renderJobs() {
        const body = $('jobs-table').tBodies[0];
        const watched = state.watch && state.watch.id;
        replaceRows(body, [
            ...state.jobs.map((job) => choiceRow(job.id, jobLabel(job), job.id === watched, () => watchJob(job.id), ...jobCells(job))),
            ...emptyRows('jobs', 4, 'No jobs yet.')]);
        const from = state.jobsPage.page * PAGE_SIZE;
        renderPager('jobs', from, state.jobs.length, state.jobsPage.total, from + state.jobs.length < state.jobsPage.total);
    }

    /**
     * The job to follow when the page opens: the newest running one, though it may not be among the newest
     * PAGE_SIZE jobs (queued ones come before it), else the newest job.
     */
    async function followSomeJob() {
        if (state.watch || !state.loaded.jobs) return;
        let running;
        try {
            running = items(await api('/jobs?status=RUNNING&size=1'))[0];
        } catch (e) {
            // the jobs panel says what is wrong with the list
        }
        const job = running || (state.jobsPage.page === 0 ? state.jobs[0] : undefined);
        if (job && !state.watch) watchJob(job.id, running);
    }

    // ---------------------------------------------------------------- following one job live

    function watchJob(id, knownJob) {
        if (state.watch && state.watch.controller) state.watch.controller.abort();
        const watch = {id, job: knownJob || null, loss: [], epochs: new Map(), epochsVersion: 0, controller: new AbortController()};
        state.watch = watch;
        $('watch-empty').hidden = true;
        $('watch-body').hidden = false;
        $('watch-job').textContent = id;
        showError($('watch-error'), null);
        renderJobs();
        renderWatch();
        follow(watch);
    }

    /**
     * Whether an error means the connection is lost (no answer, a broken stream, a 5xx while the service restarts)
     * rather than that the stream cannot work here: the first is waited out, the second is polled around.
     */
    function connectionLost(e) {
        return !(e instanceof ApiError) || e.unreachable || e.status >= 500;
    }

    /**
     * Follows the job's event stream. When the connection is lost (the service restarts, the network drops) it
     * tries again, 1, 2, 4 and then every 10 s, saying so on the page; the curve drawn so far stays until a new
     * stream brings data. When streaming itself fails three times over an answering service, it polls instead.
     */
    async function follow(watch) {
        const signal = watch.controller.signal;
        const path = '/jobs/' + encodeURIComponent(watch.id);
        let failures = 0;
        let streamFailures = 0;
        let replays = 0;
        while (!signal.aborted) {
            try {
                if (!watch.job) watch.job = await api(path, {signal});
                if (watch.live === undefined) watch.live = !TERMINAL.has(watch.job.status);
                renderWatch();
                // The server replays what a late client missed, so a new stream's data replaces the curve; until it
                // brings some (a connection that fails, a service still starting) the curve stays as it was.
                watch.replaceOnData = true;
                watch.ended = false;
                await readEventStream(path + '/events', (name, data) => onJobEvent(watch, name, data), signal);
                failures = 0;
                if (watch.ended) return;
                // The stream closed before the final status (a restart, a proxy): ask, and read it again.
                watch.retrying = {attempt: 1, error: null};
                scheduleRender();
                watch.job = await api(path, {signal});
                if (TERMINAL.has(watch.job.status) && ++replays > 1) {
                    watch.retrying = null;
                    return finished(watch);
                }
                continue;
            } catch (e) {
                if (signal.aborted || e.name === 'AbortError') return;
                if (e instanceof ApiError && (e.status === 404 || e.status === 401 || e.status === 403)) {
                    watch.retrying = null;
                    showError($('watch-error'), e);
                    renderWatch();
                    return;
                }
                failures++;
                if (!connectionLost(e) && ++streamFailures >= 3) {
                    watch.retrying = null;
                    await poll(watch);
                    return;
                }
                watch.retrying = {attempt: failures, error: e};
                scheduleRender();
            }
            await sleep(Math.min(1000 * 2 ** (failures - 1), 10000) || 500, signal);
        }
    }

    /** A new stream brings data: what it replays replaces the curve drawn from the last one. */
    function startOverOnData(watch) {
        if (!watch.replaceOnData) return;
        watch.replaceOnData = false;
        watch.loss = [];
        watch.epochs = new Map();
        watch.epochsVersion++;
    }

    /** The slower way: GET /jobs/{id} and /jobs/{id}/loss?since= once a second until the job ends. */
    async function poll(watch) {
        const signal = watch.controller.signal;
        let failures = 0;
        while (!signal.aborted) {
            try {
                const path = '/jobs/' + encodeURIComponent(watch.id);
                watch.job = await api(path, {signal});
                const answer = await api(path + '/loss?since=' + watch.loss.length, {signal});
                addLoss(watch, answer);
                addEpochs(watch, answer && answer.epochs);
                watch.retrying = null;
                failures = 0;
                showError($('watch-error'), null);
                renderWatch();
                if (TERMINAL.has(watch.job.status)) return finished(watch);
            } catch (e) {
                if (signal.aborted || e.name === 'AbortError') return;
                if (connectionLost(e)) watch.retrying = {attempt: ++failures, error: e};
                else showError($('watch-error'), e);
                renderWatch();
            }
            await sleep(1000, signal);
        }
    }

    function sleep(ms, signal) {
        return new Promise((resolve) => {
            const t = setTimeout(resolve, ms);
            if (signal) signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, {once: true});
        });
    }

    function parseData(data) {
        try {
            return parseJson(data);
        } catch (e) {
            const n = Number(data);
            return Number.isFinite(n) ? n : data;
        }
    }

    function onJobEvent(watch, name, raw) {
        if (state.watch !== watch) return;
        watch.retrying = null; // a stream that delivers is a connection that works
        const data = parseData(raw);
        switch (name) {
            case 'loss':
                startOverOnData(watch);
                addLoss(watch, data);
                break;
            case 'epoch':
                startOverOnData(watch);
                addEpochs(watch, Array.isArray(data) ? data : (data && Array.isArray(data.epochs) ? data.epochs : [data]));
                break;
            case 'progress':
                mergeJob(watch, data);
                break;
            case 'status':
                mergeJob(watch, typeof data === 'string' ? {status: data} : data);
                if (watch.job && TERMINAL.has(watch.job.status)) {
                    watch.ended = true;
                    finished(watch);
                }
                break;
            case 'deleted':
                // the job was deleted (from elsewhere) while the page followed it: the stream ends on purpose
                watch.ended = true;
                notice('Job ' + shortId(watch.id) + ' was deleted.');
                loadJobs();
                break;
            default:
                // an unnamed or unknown event: take whatever it carries
                if (data && typeof data === 'object') {
                    if ('loss' in data && Array.isArray(data.loss)) {
                        startOverOnData(watch);
                        addLoss(watch, data);
                    }
                    if ('status' in data) mergeJob(watch, data);
                }
        }
        scheduleRender();
    }

    function mergeJob(watch, data) {
        if (!data || typeof data !== 'object') return;
        const update = Object.assign({}, data);
        if (update.job && typeof update.job === 'object') Object.assign(update, update.job);
        if (!isFiniteNumber(update.loss)) delete update.loss; // a job's loss is the latest number, never a list
        watch.job = Object.assign({}, watch.job, update);
        updateJob(watch.job);
    }

    /** Loss points in any of the shapes: a number, an array, {since, loss: [...]}, {iteration, loss}. */
    function addLoss(watch, data) {
        if (data === null || data === undefined) return;
        if (isFiniteNumber(data)) {
            watch.loss.push(data);
        } else if (Array.isArray(data)) {
            watch.loss.push(...data);
        } else if (Array.isArray(data.loss)) {
            const start = pick(data, 'since', 'from', 'start', 'offset');
            const at = isFiniteNumber(start) ? start : watch.loss.length;
            data.loss.forEach((v, k) => { watch.loss[at + k] = v; });
            if (Array.isArray(data.epochs)) addEpochs(watch, data.epochs);
        } else if (Array.isArray(data.points)) {
            addLoss(watch, Object.assign({}, data, {loss: data.points}));
        } else if (isFiniteNumber(data.loss)) {
            const at = pick(data, 'iteration', 'index');
            if (isFiniteNumber(at) && at >= 0 && at <= watch.loss.length + 1) watch.loss[at] = data.loss;
            else watch.loss.push(data.loss);
        }
    }

    function addEpochs(watch, list) {
        for (const m of list || []) {
            if (m && typeof m === 'object' && isFiniteNumber(m.epoch)) {
                watch.epochs.set(m.epoch, m);
                watch.epochsVersion++; // what the chart and the table compare to know whether to redo their work
            }
        }
    }

    /** The job has ended: refresh the lists; a job that ended while we watched announces itself and opens its model. */
    function finished(watch) {
        renderWatch();
        if (!watch.live) return;
        watch.live = false;
        loadJobs();
        if (watch.job.status === 'SUCCEEDED') {
            notice('Job ' + shortId(watch.id) + ' succeeded' + (watch.job.modelId ? ': model ' + shortId(watch.job.modelId) + ' is ready.' : '.'));
            state.modelsPage.offset = 0; // where the new model is
            loadModels().then(() => {
                if (watch.job.modelId && state.watch === watch) showModel(watch.job.modelId);
            });
        } else if (watch.job.status === 'FAILED') {
            notice('Job ' + shortId(watch.id) + ' failed.', true);
        }
    }

    let renderPending = false;
    let renderCost = 0;   // ms the last render of the followed job took
    let renderedAt = 0;   // when it ended (performance.now())

    /**
     * Renders the followed job at the next frame, or later when rendering is slow: after a render that took d ms
     * the next one waits until 4 d have passed, so that drawing takes at most a fifth of the page's time however
     * long the curve grows, and clicks and typing still get through while a long job streams in.
     */
    function scheduleRender() {
        if (renderPending) return;
        renderPending = true;
        const wait = Math.max(0, renderedAt + 4 * renderCost - performance.now());
        setTimeout(() => requestAnimationFrame(() => {
            renderPending = false;
            const start = performance.now();
            renderWatch();
            renderedAt = performance.now();
            renderCost = renderedAt - start;
        }), wait);
    }

    function renderWatch() {
        const watch = state.watch;
        if (!watch) return;
        const job = watch.job || {};
        renderWatchFacts(watch, job);
        renderLossChart(watch, job);
        const epochs = sortedEpochs(watch);
        renderAccuracyChart(epochs, job);
        renderEpochTable(watch, epochs);
    }

    function renderWatchFacts(watch, job) {
        const status = job.status || '…';
        const badge = $('job-status');
        badge.textContent = status;
        badge.className = 'badge ' + status;
        renderConnection(watch, status);
        $('job-epoch').textContent = isFiniteNumber(job.epoch) ? job.epoch + ' / ' + (job.epochs ?? '?') : '–';
        $('job-iteration').textContent = isFiniteNumber(job.iteration) ? job.iteration + ' / ' + (job.iterations ?? '?') : '–';
        $('job-loss').textContent = fmtNumber(latestLoss(watch, job));
        $('job-best').textContent = pct(job.bestValAccuracy);
        $('job-elapsed').textContent = fmtDuration(job.elapsedMs);
        $('job-eta').textContent = TERMINAL.has(status) ? '–' : fmtDuration(job.etaMs);
        const fraction = jobFraction(job);
        const bar = $('job-progress');
        bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
        bar.firstElementChild.style.width = (fraction * 100).toFixed(1) + '%';
        const message = $('job-message');
        message.hidden = !job.error;
        message.textContent = job.error ? String(typeof job.error === 'object' ? (job.error.detail || job.error.message || JSON.stringify(job.error)) : job.error) : '';
        $('watch-cancel').hidden = TERMINAL.has(status) || !watch.job;
        $('watch-delete').hidden = !TERMINAL.has(status) || !watch.job;
        $('watch-model').hidden = !job.modelId;
        $('job-request').textContent = job.request ? toJson(job.request, 2) : '';
    }

    /** While the stream is down, the status is only the last one known, and the page says it is reconnecting. */
    function renderConnection(watch, status) {
        const retrying = watch.retrying;
        const line = $('job-connection');
        line.hidden = !retrying;
        $('job-status-note').textContent = retrying && !TERMINAL.has(status) ? 'last known' : '';
        if (!retrying) return;
        line.textContent = 'Connection lost (' + connectionCause(retrying.error) + '): reconnecting' +
            (retrying.attempt > 1 ? ', attempt ' + retrying.attempt : '') + '… The curve shows what had arrived.';
    }

    function connectionCause(error) {
        if (!error) return 'the live stream ended';
        if (error instanceof ApiError) return error.unreachable ? 'the service cannot be reached' : error.problem.title;
        return 'the live stream broke off';
    }

    function latestLoss(watch, job) {
        return isFiniteNumber(job.loss) ? job.loss : watch.loss[watch.loss.length - 1];
    }

    function renderLossChart(watch, job) {
        const loss = watch.loss;
        const status = job.status || '…';
        const values = indexed(loss);
        const points = values.length;
        const lossCanvas = $('loss-chart');
        lossCanvas.dataset.points = String(points);
        $('loss-points').textContent = String(points);
        lossCanvas.setAttribute('aria-label', 'Loss per iteration: ' + points + ' points' +
            (points ? ', latest ' + fmtNumber(latestLoss(watch, job)) : ''));
        const width = lossCanvas.clientWidth || 600;
        // On a log scale the y values are log10(loss); the axis labels turn them back into losses.
        const log = $('loss-log').checked;
        const scale = (pts) => (log ? pts.filter((p) => p[1] > 0).map((p) => [p[0], Math.log10(p[1])]) : pts);
        drawChart(lossCanvas, {
            xLabel: 'iteration', yLabel: log ? 'loss (log scale)' : 'loss',
            emptyText: TERMINAL.has(status) ? 'no loss recorded' : 'waiting for the first iterations…',
            xMin: 0, xMax: isFiniteNumber(job.iterations) ? Math.max(job.iterations - 1, loss.length - 1, 1) : undefined,
            yFormat: log ? (t) => fmtNumber(Math.pow(10, t), 2) : undefined,
            fromZero: !log,
            yTicks: log ? logTicks : undefined,
            series: [
                {points: scale(downsample(values, Math.max(50, Math.floor(width)))), color: getCss('--raw'), width: 1},
                {points: scale(downsample(smooth(loss), Math.max(50, Math.floor(width / 2)))), color: getCss('--smooth'), width: 2},
            ],
        });
    }

    /**
     * The epochs in order, with the lowest accuracy among them; worked out again only when epochs arrived since,
     * not at every frame (a job may have 10,000 epochs).
     */
    function sortedEpochs(watch) {
        if (watch.sorted && watch.sorted.version === watch.epochsVersion) return watch.sorted.list;
        const list = [...watch.epochs.values()].sort((a, b) => a.epoch - b.epoch);
        let lowest = Infinity;
        for (const m of list) {
            if (isFiniteNumber(m.trainAccuracy)) lowest = Math.min(lowest, m.trainAccuracy);
            if (isFiniteNumber(m.valAccuracy)) lowest = Math.min(lowest, m.valAccuracy);
        }
        list.lowestAccuracy = lowest;
        watch.sorted = {version: watch.epochsVersion, list};
        return list;
    }

    /** Above this many epochs the accuracy curves have no dots: they would merge into a thick line. */
    const DOTS_UP_TO = 200;

    function renderAccuracyChart(epochs, job) {
        const accCanvas = $('accuracy-chart');
        const last = epochs[epochs.length - 1];
        accCanvas.dataset.points = String(epochs.length);
        accCanvas.setAttribute('aria-label', 'Accuracy per epoch: ' + epochs.length + ' epochs' + (last
            ? ', last train ' + pct(last.trainAccuracy) + ', validation ' + pct(last.valAccuracy) : ''));
        // one point per two pixels at most: the mean of each run of epochs beyond that
        const budget = Math.max(50, Math.floor((accCanvas.clientWidth || 420) / 2));
        const curve = (key) => downsample(epochs.filter((m) => isFiniteNumber(m[key])).map((m) => [m.epoch, m[key]]), budget);
        const dots = epochs.length <= Math.min(DOTS_UP_TO, budget / 3);
        drawChart(accCanvas, {
            // from the tenth below the lowest accuracy up to 1, so that late epochs' differences stay visible
            xLabel: 'epoch', yLabel: 'accuracy', yMin: accuracyFloor(epochs.lowestAccuracy), yMax: 1, integerX: true,
            yFormat: (t) => Math.round(t * 100) + ' %',
            xMin: epochs.length ? Math.min(epochs[0].epoch, 1) : 0,
            xMax: isFiniteNumber(job.epochs) ? Math.max(job.epochs, last ? last.epoch : 1) : undefined,
            emptyText: 'accuracies arrive after each epoch',
            series: [
                {points: curve('trainAccuracy'), color: getCss('--train'), dots},
                {points: curve('valAccuracy'), color: getCss('--val'), dots},
            ],
        });
    }

    function accuracyFloor(lowest) {
        return isFiniteNumber(lowest) ? Math.max(0, Math.floor(lowest * 10 - 0.5) / 10) : 0;
    }

    /** Rows of the per-epoch table: the newest ones; the curves show them all. */
    const EPOCH_ROWS = 100;

    /** The per-epoch table, rebuilt only when epochs arrived since it was last built, and never past EPOCH_ROWS rows. */
    function renderEpochTable(watch, epochs) {
        if (watch.tableVersion === watch.epochsVersion) return;
        watch.tableVersion = watch.epochsVersion;
        const rows = epochs.slice(-EPOCH_ROWS).reverse().map((m) => el('tr', null,
            el('td', {className: 'num'}, m.epoch),
            el('td', {className: 'num'}, pct(m.trainAccuracy)),
            el('td', {className: 'num'}, pct(m.valAccuracy)),
            el('td', {className: 'num'}, fmtNumber(m.learningRate))));
        $('epochs-table').tBodies[0].replaceChildren(...rows);
        $('epochs-caption').textContent = epochs.length > EPOCH_ROWS
            ? 'Per epoch: the last ' + EPOCH_ROWS + ' of ' + epochs.length.toLocaleString('en') : 'Per epoch';
    }

    const cssCache = {};

    function getCss(name) {
        if (!cssCache[name]) cssCache[name] = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#333';
        return cssCache[name];
    }

    async function cancelWatched() {
        const watch = state.watch;
        if (!watch) return;
        $('watch-cancel').disabled = true;
        try {
            const job = await api('/jobs/' + encodeURIComponent(watch.id) + '/cancel', {method: 'POST'});
            if (job && typeof job === 'object') mergeJob(watch, job);
            notice('Cancel requested for job ' + shortId(watch.id) + '.');
            showError($('watch-error'), null);
        } catch (e) {
            showError($('watch-error'), e);
        } finally {
            $('watch-cancel').disabled = false;
            renderWatch();
        }
    }

    /** Stops following the job and empties the panel. */
    function closeWatch() {
        if (state.watch) state.watch.controller.abort();
        state.watch = null;
        showError($('watch-error'), null);
        $('watch-job').textContent = '';
        $('watch-cancel').hidden = true;
        $('watch-delete').hidden = true;
        $('watch-model').hidden = true;
        $('watch-body').hidden = true;
        $('watch-empty').hidden = false;
    }

    /** Deletes the followed job once it has ended (its loss history with it; a model it trained stays). */
    async function deleteWatched() {
        const watch = state.watch;
        if (!watch || !window.confirm('Delete job ' + watch.id + ' and its loss history? A model it trained stays.')) return;
        try {
            await api('/jobs/' + encodeURIComponent(watch.id), {method: 'DELETE'});
            closeWatch();
            notice('Job ' + shortId(watch.id) + ' deleted.');
            loadJobs();
        } catch (e) {
            showError($('watch-error'), e);
        }
    }

    // ---------------------------------------------------------------- models

    async function loadModels() {
        const paging = state.modelsPage;
        // one more than a page: whether it comes says if there are older models
        const answer = await loadList('/models?limit=' + (PAGE_SIZE + 1) + '&offset=' + paging.offset, 'models');
        if (answer) {
            paging.more = state.models.length > PAGE_SIZE;
            state.models = state.models.slice(0, PAGE_SIZE);
            // models deleted since can leave this page past the end: step back
            if (!state.models.length && paging.offset > 0) {
                paging.offset = Math.max(0, paging.offset - PAGE_SIZE);
                return loadModels();
            }
        }
        renderModels();
    }

    /** Shows the models from the offset-th newest on. */
    function showModelsFrom(offset) {
        state.modelsPage.offset = Math.max(0, offset);
        return loadModels();
    }

    function architecture(m) {
        const d = pick(m, 'inputSize', 'architecture.inputSize', 'architecture.input', 'features');
        const h = pick(m, 'hiddenSize', 'architecture.hiddenSize', 'architecture.hidden', 'hyperparameters.hiddenSize');
        const c = pick(m, 'numClasses', 'architecture.numClasses', 'architecture.classes', 'architecture.outputSize', 'classes');
        return {d, h, c, text: [d, h, c].map((v) => v ?? '?').join('–')};
    }

    function renderModels() {
        const body = $('models-table').tBodies[0];
        const shown = state.model && state.model.id;
        replaceRows(body, [...state.models.map((m) => choiceRow(m.id, 'Show model ' + m.id, m.id === shown,
            () => showModel(m.id),
            el('td', {className: 'mono', title: m.id}, shortId(m.id)),
            nameCell(pick(m, 'datasetName', 'dataset.name') || datasetLabel(pick(m, 'datasetId', 'dataset.id')),
                datasetTitle(pick(m, 'datasetId', 'dataset.id'), pick(m, 'datasetName', 'dataset.name'))),
            el('td', {className: 'mono'}, architecture(m).text),
            el('td', {className: 'num'}, pct(pick(m, 'valAccuracy', 'validationAccuracy', 'accuracy.validation'))))),
            ...emptyRows('models', 4, 'No models yet: train one.')]);
        const {offset, more} = state.modelsPage;
        const shownTo = offset + state.models.length;
        renderPager('models', offset, state.models.length, more ? 'more than ' + shownTo : shownTo, more);
    }

    async function showModel(id) {
        showError($('model-error'), null);
        let model;
        try {
            model = await api('/models/' + encodeURIComponent(id));
        } catch (e) {
            showError($('model-error'), e);
            return;
        }
        state.model = model;
        renderModels();
        renderModelCard(model);
        preparePredict(model);
    }

    function renderModelCard(m) {
        $('model-id').textContent = m.id;
        $('model-empty').hidden = true;
        $('model-export').hidden = false;
        $('model-delete').hidden = false;
        const arch = architecture(m);
        const datasetId = pick(m, 'datasetId', 'dataset.id');
        const datasetName = pick(m, 'datasetName', 'dataset.name');
        const prep = pick(m, 'preprocessing');
        const prepText = prep && typeof prep === 'object' ? prep.kind || JSON.stringify(prep) : prep;
        const classNames = pick(m, 'classNames') || [];
        const jobId = pick(m, 'jobId', 'job.id');
        const rows = [
            ['Network', el('span', {className: 'arch'}, (arch.d ?? '?') + ' → ' + (arch.h ?? '?') + ' ReLU → ' + (arch.c ?? '?'),
                pick(m, 'loss', 'hyperparameters.loss') ? el('span', {className: 'muted'}, ' · ' + pick(m, 'loss', 'hyperparameters.loss') + ' loss') : null)],
            ['Dataset', datasetName ? datasetName + (datasetId && datasetId !== datasetName ? ' (' + datasetId + ')' : '') : datasetId || '– (imported)'],
            ['Train accuracy', pct(pick(m, 'trainAccuracy', 'accuracy.train'))],
            ['Validation accuracy', pct(pick(m, 'valAccuracy', 'validationAccuracy', 'accuracy.validation'))],
            ['Preprocessing', prepText || '–'],
            ['Classes', classNames.length ? classNames.join(', ') : arch.c ?? '–'],
            ['Job', jobId ? el('button', {type: 'button', className: 'link mono', onclick: () => watchJob(jobId)}, jobId) : '–'],
            ['Seed', pick(m, 'seed', 'hyperparameters.seed') ?? '–'],
            ['Created', fmtDate(m.createdAt)],
        ];
        if (pick(m, 'precision')) rows.push(['Precision', m.precision]);
        const card = el('div', {className: 'card'},
            el('dl', null, rows.map(([k, v]) => [el('dt', null, k), el('dd', null, v)])));
        const hyper = pick(m, 'hyperparameters', 'request');
        if (hyper && typeof hyper === 'object') {
            card.append(el('h3', null, 'Hyperparameters'),
                el('div', {className: 'table-wrap'}, el('table', null,
                    el('caption', {className: 'visually-hidden'}, 'Hyperparameters of this model'),
                    el('tbody', null, Object.entries(hyper).filter(([, v]) => v !== null && v !== undefined)
                        .map(([k, v]) => el('tr', null, el('td', null, k),
                            el('td', {className: 'mono'}, typeof v === 'object' ? toJson(v) : String(v))))))));
        }
        $('model-card').replaceChildren(card);
        $('model-card').hidden = false;
    }

    async function exportModel() {
        const m = state.model;
        if (!m) return;
        try {
            // saved as the server wrote it: parsed and written again, its numbers could change
            const json = await api('/models/' + encodeURIComponent(m.id) + '/export', {text: true});
            const blob = new Blob([json], {type: 'application/json'});
            const url = URL.createObjectURL(blob);
            const a = el('a', {href: url, download: 'nnserve-model-' + m.id + '.json'});
            document.body.append(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 5000);
        } catch (e) {
            showError($('model-error'), e);
        }
    }

    /** Empties the model card and the prediction form. */
    function closeModel() {
        state.model = null;
        showError($('model-error'), null);
        $('model-card').hidden = true;
        $('model-card').replaceChildren();
        $('model-empty').hidden = false;
        $('model-id').textContent = '';
        $('model-export').hidden = true;
        $('model-delete').hidden = true;
        $('predict-form').hidden = true;
        $('prediction-result').hidden = true;
        $('predict-empty').hidden = false;
    }

    async function deleteModel() {
        const m = state.model;
        if (!m || !window.confirm('Delete model ' + m.id + '? Predictions with it will stop working.')) return;
        try {
            await api('/models/' + encodeURIComponent(m.id), {method: 'DELETE'});
            notice('Model ' + shortId(m.id) + ' deleted.');
            closeModel();
            loadModels();
        } catch (e) {
            showError($('model-error'), e);
        }
    }

    // ---------------------------------------------------------------- prediction

    function expectedFeatures() {
        return state.model ? architecture(state.model).d : undefined;
    }

    function preparePredict(m) {
        $('predict-empty').hidden = true;
        $('predict-form').hidden = false;
        $('prediction-result').hidden = true;
        showError($('predict-error'), null);
        // Offer a row of the model's own dataset, unless one of it is already in the box.
        const datasetId = pick(m, 'datasetId', 'dataset.id');
        const known = datasetId && state.datasets.some((d) => d.id === datasetId);
        const source = state.rowSource;
        if (known) $('predict-dataset').value = datasetId;
        updateCount();
        const haveRow = source && source.datasetId === datasetId && $('predict-values').value.trim();
        if (known && !haveRow && !state.rowsUnsupported) loadRow(source && source.datasetId === datasetId ? source.index : 0);
    }

    function parseValues(text) {
        const parts = text.split(/[\s,;]+/).filter((s) => s !== '');
        return parts.map(Number);
    }

    function updateCount() {
        const values = parseValues($('predict-values').value);
        const expected = expectedFeatures();
        $('predict-count').textContent = '(' + values.length + (expected !== undefined ? ' of ' + expected : '') + ' values)';
        drawRowImage(values);
    }

    /** Reads one row of a dataset: GET /datasets/{id}/rows?offset=&limit=1. */
    async function loadRow(index) {
        const datasetId = $('predict-dataset').value;
        const note = $('row-note');
        if (!datasetId) return;
        const dataset = state.datasets.find((d) => d.id === datasetId);
        if (dataset && isFiniteNumber(dataset.rows) && index >= dataset.rows) index = dataset.rows - 1;
        index = Math.max(0, Math.floor(index || 0));
        $('predict-row').value = String(index);
        try {
            const answer = await api('/datasets/' + encodeURIComponent(datasetId) + '/rows?offset=' + index + '&limit=1');
            const row = items(answer)[0] || (Array.isArray(answer && answer.features) ? answer : null);
            if (!row) throw new ApiError(0, {title: 'The dataset has no row ' + index});
            const features = Array.isArray(row) ? row : row.features || row.values;
            const text = features.map((v) => fmtValue(v)).join(', ');
            $('predict-values').value = text;
            $('predict-values').dataset.loaded = text;
            const label = pick(row, 'label');
            const className = pick(row, 'className') ?? (dataset && dataset.classNames && isFiniteNumber(label) ? dataset.classNames[label] : undefined);
            state.rowSource = {datasetId, index, label, className};
            note.textContent = 'Row ' + index + ' of ' + (dataset ? dataset.name || dataset.id : datasetId) +
                (className !== undefined ? ', labelled ' + className : label !== undefined ? ', label ' + label : '') + '.';
            showError($('predict-error'), null);
            updateCount();
        } catch (e) {
            if (e instanceof ApiError && (e.status === 404 || e.status === 405) && !(e.problem && e.problem.detail)) {
                state.rowsUnsupported = true;
                note.textContent = 'This server does not hand out dataset rows: type or paste the values.';
            } else {
                showError($('predict-error'), e);
            }
        }
    }

    function fmtValue(v) {
        return isFiniteNumber(v) ? Number(v.toPrecision(7)).toString() : String(v);
    }

    async function predict(event) {
        event.preventDefault();
        const m = state.model;
        if (!m) return;
        const values = parseValues($('predict-values').value);
        const bad = values.findIndex((v) => !Number.isFinite(v));
        if (!values.length || bad >= 0) {
            // the result shown belongs to the values before: under this refusal it would read as their answer
            $('prediction-result').hidden = true;
            showError($('predict-error'), new ApiError(0, {
                title: 'Check the values',
                detail: values.length ? 'Value ' + (bad + 1) + ' is not a number.' : 'Enter the feature values of one row.',
            }));
            return;
        }
        $('predict-button').disabled = true;
        try {
            const answer = await api('/predict', {method: 'POST', json: {modelId: m.id, inputs: [values], output: 'both'}});
            showError($('predict-error'), null);
            renderPrediction(m, values, (answer.predictions || [])[0]);
        } catch (e) {
            showError($('predict-error'), e);
            $('prediction-result').hidden = true;
        } finally {
            $('predict-button').disabled = false;
        }
    }

    function renderPrediction(m, values, p) {
        if (!p) return;
        const classNames = pick(m, 'classNames') || [];
        const probs = p.probabilities || [];
        const scores = p.scores || [];
        const count = Math.max(probs.length, scores.length);
        const name = p.className ?? classNames[p.label] ?? String(p.label);
        $('predicted-class').textContent = name;
        $('predicted-label').textContent = String(name) !== String(p.label) ? '(class ' + p.label + ')' : '';
        const source = state.rowSource;
        const currentText = values.map(fmtValue).join(', ');
        const fromRow = source && $('predict-values').dataset.loaded === currentText;
        $('true-label').textContent = fromRow && source.label !== undefined
            ? '· row ' + source.index + ' is labelled ' + (source.className ?? source.label) +
              (source.label === p.label ? ' ✓' : ' ✗')
            : '';
        const bars = [];
        for (let c = 0; c < count; c++) {
            const prob = probs[c];
            bars.push(el('li', {className: c === p.label ? 'best' : null},
                el('span', {className: 'name', title: classNames[c] ?? String(c)}, classNames[c] ?? String(c)),
                el('span', {className: 'track'}, el('span', {className: 'fill', style: 'width:' + (isFiniteNumber(prob) ? (prob * 100).toFixed(2) : 0) + '%'})),
                el('span', {className: 'p'}, isFiniteNumber(prob) ? (prob * 100).toFixed(1) + ' %' : ''),
                el('span', {className: 's', title: 'score'}, isFiniteNumber(scores[c]) ? scores[c].toFixed(2) : '')));
        }
        $('probability-bars').replaceChildren(...bars);
        $('prediction-result').hidden = false;
        drawRowImage(values);
    }

    /**
     * The image datasets' row lengths and their sides: 8x8 digits and 28x28 MNIST-style pictures. Only these are
     * drawn; any other row that happens to have a square length (49 or 100 measurements) is not a picture.
     */
    const IMAGE_SIDES = new Map([[64, 8], [784, 28]]);

    /** Draws a row of an image dataset (64 or 784 values) as a greyscale image: larger = darker. */
    function drawRowImage(values) {
        const canvas = $('predict-image');
        const side = IMAGE_SIDES.get(values.length);
        const isImage = side !== undefined && values.every(Number.isFinite);
        canvas.hidden = !isImage;
        if (!isImage) return;
        canvas.width = side;
        canvas.height = side;
        const ctx = canvas.getContext('2d');
        const image = ctx.createImageData(side, side);
        const lo = Math.min(0, ...values);
        const hi = Math.max(...values);
        const span = hi > lo ? hi - lo : 1;
        values.forEach((v, i) => {
            const grey = Math.round(255 * (1 - (v - lo) / span));
            image.data.set([grey, grey, grey, 255], i * 4);
        });
        ctx.putImageData(image, 0, 0);
        canvas.setAttribute('aria-label', 'The row drawn as a ' + side + ' × ' + side + ' greyscale image');
    }

    // ---------------------------------------------------------------- API key form

    /** verdict: 'checking' while the lists load with the key, 'refused' after a 401, else the key worked. */
    function renderKeyState(verdict) {
        const key = apiKey();
        $('api-key').value = key;
        let text = 'not set';
        if (key && verdict === 'checking') text = 'saved; checking…';
        else if (key && verdict === 'refused') text = 'saved; the service refused it';
        else if (key) text = 'saved in this browser';
        $('key-state').textContent = text;
        if (key && verdict === 'refused') $('api-key').setAttribute('aria-invalid', 'true');
        else $('api-key').removeAttribute('aria-invalid');
    }

    /** Loads the lists with the key now saved and says whether the service took it. */
    async function checkKey() {
        renderKeyState('checking');
        await refreshAll();
        const refused = Object.values(state.listErrors).some((e) => e instanceof ApiError && e.status === 401);
        renderKeyState(refused ? 'refused' : 'ok');
    }

    /**
     * Takes off the page what was loaded with the key: the lists, the followed job, the model card, the row in the
     * prediction box and the last upload's result. Another key (or none) may not be allowed to see them.
     */
    function clearLoadedData() {
        closeWatch();
        closeModel();
        state.jobsPage = {page: 0, total: 0};
        state.modelsPage = {offset: 0, more: false};
        for (const key of ['datasets', 'jobs', 'models']) {
            state[key] = [];
            state.loaded[key] = false;
            state.listErrors[key] = null;
            showError($(key + '-error'), null);
        }
        state.rowSource = null;
        $('predict-values').value = '';
        delete $('predict-values').dataset.loaded;
        $('row-note').textContent = '';
        showError($('upload-result'), null);
        renderDatasets();
        renderJobs();
        renderModels();
    }

    function saveKey(event) {
        event.preventDefault();
        const before = apiKey();
        const key = $('api-key').value.trim();
        try {
            if (key) localStorage.setItem(KEY_STORAGE, key);
            else localStorage.removeItem(KEY_STORAGE);
        } catch (e) {
            notice('This browser does not allow storing the key.', true);
        }
        if (apiKey() !== before) clearLoadedData();
        checkKey().then(followSomeJob);
    }

    function forgetKey() {
        try {
            localStorage.removeItem(KEY_STORAGE);
        } catch (e) {
            // nothing stored
        }
        clearLoadedData();
        // load again without a key: a service without keys shows its lists, one with keys says it needs one
        checkKey().then(followSomeJob);
    }

    // ---------------------------------------------------------------- start

    async function refreshAll() {
        await Promise.all([loadDatasets(), loadJobs(), loadModels()]);
    }

    function init() {
        $('key-form').addEventListener('submit', saveKey);
        $('key-forget').addEventListener('click', forgetKey);
        $('datasets-refresh').addEventListener('click', loadDatasets);
        $('jobs-refresh').addEventListener('click', loadJobs);
        $('models-refresh').addEventListener('click', loadModels);
        $('jobs-newer').addEventListener('click', () => showJobsPage(state.jobsPage.page - 1));
        $('jobs-older').addEventListener('click', () => showJobsPage(state.jobsPage.page + 1));
        $('models-newer').addEventListener('click', () => showModelsFrom(state.modelsPage.offset - PAGE_SIZE));
        $('models-older').addEventListener('click', () => showModelsFrom(state.modelsPage.offset + PAGE_SIZE));
        $('upload-form').addEventListener('submit', uploadCsv);
        $('train-form').addEventListener('submit', startTraining);
        $('train-dataset').addEventListener('change', renderDatasets);
        $('watch-cancel').addEventListener('click', cancelWatched);
        $('watch-delete').addEventListener('click', deleteWatched);
        $('watch-model').addEventListener('click', () => state.watch && state.watch.job && state.watch.job.modelId && showModel(state.watch.job.modelId));
        $('model-export').addEventListener('click', exportModel);
        $('model-delete').addEventListener('click', deleteModel);
        $('predict-form').addEventListener('submit', predict);
        $('predict-load').addEventListener('click', () => loadRow(Number($('predict-row').value)));
        $('predict-random').addEventListener('click', () => {
            const d = state.datasets.find((x) => x.id === $('predict-dataset').value);
            loadRow(Math.floor(Math.random() * (d && d.rows ? d.rows : 1)));
        });
        $('predict-dataset').addEventListener('change', () => { state.rowsUnsupported = false; });
        $('predict-values').addEventListener('input', updateCount);
        window.addEventListener('resize', scheduleRender);
        $('loss-log').addEventListener('change', scheduleRender);
        renderKeyState(apiKey() ? 'checking' : undefined);
        renderJobs();
        renderModels();
        loadDefaults();
        // Jobs that nobody follows here still move: refresh the list while some are active and the page is seen.
        setInterval(() => {
            const active = state.jobs.some((j) => j.status === 'QUEUED' || j.status === 'RUNNING');
            if (active && document.visibilityState === 'visible') loadJobs();
        }, 5000);
        checkKey().then(followSomeJob);
    }

    // for tests and the curious: the SSE parser and chart helpers, nothing that holds secrets
    window.nnserveDashboard = {readEventStream, ticks, downsample, smooth, state};

    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
    else init();
})();
