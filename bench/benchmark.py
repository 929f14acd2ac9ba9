#!/usr/bin/env python3
"""nnserve's benchmark harness: the engine in-process, the HTTP service, and the peers, in ONE run.

Runs on Fashion-MNIST (apt-get install -y dataset-fashion-mnist) with the peers' reference settings (784-100-10,
batch 200, lr 0.2, decay 0.95, reg 1e-4, weightScale 0.05, seed 0, sampling with replacement, 250 iterations per
epoch; seconds per epoch = median over epochs of the training iterations only) and writes docs/benchmarks.md:

  * engine float64 and float32 (io.nnserve.bench.EngineBenchmark, in-process, from the test classpath), and float64
    on ojAlgo's products, the fallback for CPUs without a fused multiply-add;
  * the peers of ../shared/peers (numpy classic / skip-input-grad / float32, PyTorch float32 on 1 thread,
    scikit-learn), each where its interpreter has the library;
  * the packaged service (target/nnserve, as the README starts it): start-up time to ready (also of the single jar),
    IDX upload, POST /train timed to the end of the job (the first job, then the same job again once the JIT has
    compiled the training code), its peak resident memory (VmHWM) against the numpy peer's; predict latency and
    throughput on loopback (wrk, or a bounded client of our own when wrk is missing): single-row POST /predict with
    16 connections against GET /actuator/health/liveness in the same run, and one 10,000-row request.

--rounds N runs all of that N times in turn (the service from a fresh start each time; its start-up is timed
separately, three times) and reports each figure as the median over rounds with its range, each ratio taken within
its round: on a shared machine one run of anything can be off by a third.

Timings are reported, never asserted. --tiny (what .ci/run uses) trains one short epoch on a few thousand rows and
loads the service for a few seconds, so the harness cannot rot; its numbers mean nothing.

    python3 bench/benchmark.py                       # the full run (about 10-15 minutes on 2 cores)
    python3 bench/benchmark.py --tiny --out target/benchmarks-tiny.md
    python3 bench/benchmark.py --peers-dir /path/to/shared/peers --skip-http
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JVM_FLAGS = ["--add-modules", "jdk.incubator.vector"]
# the service is started as the README and the Dockerfile start it
SERVICE_FLAGS = JVM_FLAGS + ["-XX:+UseSerialGC"]
FMNIST = "/usr/share/datasets/fashion-mnist"


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------- processes
def run_measured(cmd, cwd=None, env=None, timeout=3600):
    """Runs cmd; returns (stdout, stderr, seconds, peak RSS in MiB of that process) via wait4's rusage."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = [], []
    readers = [threading.Thread(target=lambda s, acc: acc.extend(s), args=(proc.stdout, out)),
               threading.Thread(target=lambda s, acc: acc.extend(s), args=(proc.stderr, err))]
    for r in readers:
        r.start()
    deadline = time.time() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.time() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return "".join(out), "".join(err), time.perf_counter() - t0, usage.ru_maxrss / 1024.0, proc.returncode


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                pass
    return None


def run_json(name, cmd, **kw):
    shown = [("<classpath>" if len(c) > 200 else c) for c in cmd]
    log("running %s: %s" % (name, " ".join(shown)))
    out, err, seconds, rss, code = run_measured(cmd, **kw)
    result = last_json(out)
    if code != 0 or result is None:
        lines = err.strip().splitlines() or ["(no output)"]
        causes = [l for l in lines if "Exception" in l or "Error" in l]
        tail = (causes or lines)[-1].strip()
        log("%s failed (exit %s): %s" % (name, code, tail))
        return {"name": name, "error": tail[:200]}
    result.update({"name": name, "peak_rss_mib": rss, "wall_seconds": seconds})
    log("%s: %.4f s/epoch, test accuracy %s, peak RSS %.0f MiB"
        % (name, result.get("seconds_per_epoch", float("nan")), result.get("test_acc"), rss))
    return result


# ---------------------------------------------------------------------------------------------- the engine
def java_classpath(rebuild):
    cp_file = os.path.join(ROOT, "target", "bench-classpath.txt")
    if rebuild or not os.path.exists(os.path.join(ROOT, "target", "test-classes")):
        subprocess.run(["./mvnw", "-B", "test-compile"], cwd=ROOT, check=True, stdout=sys.stderr)
    if rebuild or not os.path.exists(cp_file):
        subprocess.run(["./mvnw", "-B", "dependency:build-classpath", "-Dmdep.outputFile=" + cp_file,
                        "-Dmdep.includeScope=test"], cwd=ROOT, check=True, stdout=sys.stderr)
    with open(cp_file) as f:
        deps = f.read().strip()
    return os.pathsep.join([os.path.join(ROOT, "target", "classes"), os.path.join(ROOT, "target", "test-classes"), deps])


def engine(precision, args, classpath, kernel=None):
    """The engine in a JVM of its own; kernel overrides --kernel (the name then says which)."""
    single = ["-XX:ActiveProcessorCount=1"] if args.cpu_time else []
    cmd = ["java"] + JVM_FLAGS + single + ["-cp", classpath, "io.nnserve.bench.EngineBenchmark", "--epochs", str(args.epochs),
                                  "--num-train", str(args.num_train), "--precision", precision,
                                  "--data-dir", args.data_dir, "--kernel", kernel or args.kernel] + (
                                      ["--cpu-time"] if args.cpu_time else [])
    name = "nnserve engine " + precision + (", %s kernel" % kernel if kernel else "")
    return run_json(name, cmd, cwd=ROOT)


# ----------------------------------------------------------------------------------------------- the peers
def has_module(python, module):
    return subprocess.run([python, "-c", "import " + module], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def cpu_clocked(python, script):
    """Runs a peer with its epoch clock (time.perf_counter) replaced by the main thread's CPU time."""
    return [python, "-c", "import runpy, sys, time; time.perf_counter = time.thread_time; sys.argv = sys.argv[1:]; "
            "runpy.run_path(sys.argv[0], run_name='__main__')", script]


def peers(args):
    common = ["--epochs", str(args.epochs), "--num-train", str(args.num_train), "--data-dir", args.data_dir,
              "--quiet"]
    peer = lambda f: os.path.join(args.peers_dir, f)  # noqa: E731
    if args.cpu_time:
        os.environ.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
        peer = lambda f: cpu_clocked(sys.executable if "numpy" in f else "/usr/bin/python3", os.path.join(args.peers_dir, f))  # noqa: E731,E501
    else:
        plain = peer
        peer = lambda f: [plain(f)]  # noqa: E731
    runs = []
    py = sys.executable
    if not os.path.isdir(args.peers_dir):
        log("no peers at %s (--peers-dir or NNSERVE_PEERS): skipped" % args.peers_dir)
        return runs
    if has_module(py, "numpy"):
        numpy = ([] if args.cpu_time else [py]) + peer("numpy_twolayer.py")
        runs.append(run_json("numpy float64 classic", numpy + common))
        runs.append(run_json("numpy float64 skip-input-grad", numpy + ["--skip-input-grad"] + common))
        runs.append(run_json("numpy float32", numpy + ["--dtype", "float32"] + common))
    else:
        log("numpy missing for %s: numpy peers skipped" % py)
    sys_py = "/usr/bin/python3"
    if os.path.exists(sys_py) and has_module(sys_py, "torch"):
        runs.append(run_json("PyTorch float32, 1 thread", ([] if args.cpu_time else [sys_py]) + peer("torch_mlp.py")
                             + ["--threads", "1", "--dtype", "float32"] + common))
    else:
        log("PyTorch missing (apt-get install -y python3-torch): skipped")
    if os.path.exists(sys_py) and has_module(sys_py, "sklearn"):
        runs.append(run_json("scikit-learn float64", ([] if args.cpu_time else [sys_py]) + peer("sklearn_mlp.py")
                             + common))
    else:
        log("scikit-learn missing (apt-get install -y python3-sklearn): skipped")
    return runs


# ------------------------------------------------------------------------------------------------ the service
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def train_job(base, train_body):
    """Posts a training job and waits for it; returns the seconds from POST to SUCCEEDED and the job's last view."""
    t = time.perf_counter()
    status, resp = http("POST", base + "/train", json.dumps(train_body).encode(), {"Content-Type": "application/json"})
    if status != 202:
        raise RuntimeError("POST /train answered %d: %s" % (status, resp[:300]))
    job = json.loads(resp)
    while job.get("status") in ("QUEUED", "RUNNING"):
        time.sleep(0.1)
        status, resp = http("GET", base + "/jobs/" + job["id"])
        job = json.loads(resp)
    seconds = time.perf_counter() - t
    if job.get("status") != "SUCCEEDED":
        raise RuntimeError("the training job ended %s: %s" % (job.get("status"), job.get("error")))
    return seconds, job


def http(method, url, body=None, headers=None, timeout=600):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def multipart(fields, files):
    boundary = "nnserve-bench-%d" % int(time.time() * 1000)
    parts = []
    for name, value in fields.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                      % (boundary, name, value)).encode())
    for name, path in files.items():
        with open(path, "rb") as f:
            data = f.read()
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                      "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, os.path.basename(path))).encode()
                     + data + b"\r\n")
    parts.append(("--%s--\r\n" % boundary).encode())
    return b"".join(parts), "multipart/form-data; boundary=" + boundary


def vm_hwm_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def test_rows(args, count):
    """The first `count` t10k images as lists of raw pixel values (the model applies its own preprocessing)."""
    import gzip
    with gzip.open(os.path.join(args.data_dir, "t10k-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    rows = []
    for i in range(count):
        start = 16 + i * 784
        rows.append(list(raw[start:start + 784]))
    return rows


def parse_wrk(text):
    def seconds(v):
        m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
        return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[m.group(2)]
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "90", "99"):
        m = re.search(r"^\s+%s(?:\.000)?%%\s+(\S+)" % pct, text, re.M)
        out["p" + pct + "_ms"] = seconds(m.group(1)) * 1000 if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    out["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"(\d+) requests in", text)
    out["requests"] = int(m.group(1)) if m else None
    return out


def load(url, body, seconds, connections):
    """wrk when installed, else a bounded client of our own (threads, keep-alive, fixed duration)."""
    if shutil.which("wrk"):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            if body is not None:
                script.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                             'wrk.body = %s\n' % json.dumps(body.decode()))
        try:
            text = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", "%ds" % seconds, "--latency",
                                   "-s", script.name, url], capture_output=True, text=True, timeout=seconds + 60).stdout
        finally:
            os.unlink(script.name)
        result = parse_wrk(text)
        result["client"] = "wrk"
        return result
    import http.client
    from urllib.parse import urlparse
    u = urlparse(url)
    latencies, errors = [], [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            if body is None:
                conn.request("GET", u.path)
            else:
                conn.request("POST", u.path, body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - t0)
            if resp.status >= 300:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else None  # noqa: E731
    return {"client": "python threads", "rps": len(latencies) / elapsed, "p50_ms": q(0.5), "p90_ms": q(0.9),
            "p99_ms": q(0.99), "non_2xx": errors[0], "requests": len(latencies)}


def launches(args):
    """The two ways the README starts the packaged service: the unpacked jar with the class-data archive that
    ./mvnw package records (target/nnserve), and the single jar."""
    def single_jar():
        jars = [j for j in glob.glob(os.path.join(ROOT, "target", "*.jar")) if not j.endswith("-plain.jar")]
        return jars[0] if jars else None

    unpacked = os.path.join(ROOT, "target", "nnserve", "nnserve.jar")
    archive = os.path.join(ROOT, "target", "nnserve", "nnserve.jsa")
    if args.build or not single_jar() or not (os.path.exists(unpacked) and os.path.exists(archive)):
        subprocess.run(["./mvnw", "-B", "package", "-DskipTests"], cwd=ROOT, check=True, stdout=sys.stderr)
    fat = single_jar()
    extra = args.service_jvm_args.split()
    return {"unpacked jar with the class-data archive": ["java"] + SERVICE_FLAGS + extra + ["-XX:SharedArchiveFile=" + archive, "-jar", unpacked],
            "single jar": ["java"] + SERVICE_FLAGS + extra + ["-jar", fat]}


def start(cmd, workdir, port):
    """Starts the service in workdir (a fresh data directory) and returns (process, seconds to readiness 200)."""
    base = "http://127.0.0.1:%d" % port
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd + ["--server.port=%d" % port], cwd=workdir,
                            stdout=open(os.path.join(workdir, "service.log"), "w"), stderr=subprocess.STDOUT)
    while True:
        if proc.poll() is not None:
            raise RuntimeError("the service exited with %s (log: %s/service.log)" % (proc.returncode, workdir))
        try:
            status, _ = http("GET", base + "/actuator/health/readiness", timeout=2)
            if status == 200:
                return proc, time.perf_counter() - t0
        except (OSError, urllib.error.URLError):
            pass
        if time.perf_counter() - t0 > 120:
            proc.kill()
            raise RuntimeError("the service was not ready after 120 s")
        time.sleep(0.02)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def startups(commands, rounds):
    """Seconds to readiness of each launch, alternating between them, each start from a fresh data directory."""
    times = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            workdir = tempfile.mkdtemp(prefix="nnserve-start-")
            try:
                proc, seconds = start(cmd, workdir, free_port())
                stop(proc)
                times[name].append(round(seconds, 3))
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
    return times


def service(args, commands):
    """One round of the service: a fresh start from an empty data directory, the IDX upload, the first job and the
    same job again, then predict load and the large request."""
    result = {"name": "nnserve service"}
    cmd = commands["unpacked jar with the class-data archive"]
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    workdir = tempfile.mkdtemp(prefix="nnserve-bench-")
    log("starting the service: " + " ".join(cmd))
    result["command"] = " ".join(cmd).replace(ROOT + "/", "")
    proc = None
    try:
        proc, result["startup_seconds"] = start(cmd, workdir, port)
        log("ready in %.2f s" % result["startup_seconds"])

        # the name in the query string only: a parameter given twice (query and form field) is a 400
        body, ctype = multipart({},
                                {"images": os.path.join(args.data_dir, "train-images-idx3-ubyte.gz"),
                                 "labels": os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz")})
        t1 = time.perf_counter()
        missing = [path for path in ("/datasets", "/jobs", "/models") if http("GET", base + path)[0] == 404]
        if missing:
            result["skipped"] = "this build of the service has no %s endpoint yet" % ", ".join(missing)
            log(result["skipped"])
            return result
        status, resp = http("POST", base + "/datasets?name=fashion-mnist-train", body, {"Content-Type": ctype})
        if status != 201:
            raise RuntimeError("POST /datasets answered %d: %s" % (status, resp[:300]))
        dataset = json.loads(resp)
        result["upload_seconds"] = time.perf_counter() - t1
        rows = dataset.get("rows", 60000)
        num_val = 10000 if rows >= 60000 else max(1, rows // 6)
        train_body = {"datasetId": dataset["id"], "validationSplit": num_val / rows, "hiddenSize": 100,
                      "loss": "softmax", "regularization": "l2", "reg": 1e-4, "init": "gaussian", "weightScale": 0.05,
                      "updateRule": "sgd", "learningRate": 0.2, "lrDecay": 0.95, "batchSize": 200,
                      "epochs": args.epochs, "sampling": "replacement", "seed": 0, "preprocessing": "scale"}
        if args.tiny:
            train_body["epochs"] = 1
        # the first job right after the upload, as a user would post it, then the same job again: the first one's
        # time includes the JIT compiling the training code in a JVM that was compiling the service's start-up and
        # the upload as well; the second one's is the job machinery's cost (loss history, progress, checkpoints)
        result["train_wall_seconds"], job = train_job(base, train_body)
        result["job_status"] = job.get("status")
        result["job_elapsed_seconds"] = (job.get("elapsedMs") or 0) / 1000.0
        result["job_epochs"] = train_body["epochs"]
        result["peak_rss_mib_training"] = vm_hwm_mib(proc.pid)
        model = job["modelId"]
        log("job %s in %.2f s, model %s" % (job["status"], result["train_wall_seconds"], model))
        result["train_wall_seconds_again"], _ = train_job(base, train_body)
        log("the same job again in %.2f s" % result["train_wall_seconds_again"])

        one = json.dumps({"modelId": model, "inputs": test_rows(args, 1), "output": "probabilities"}).encode()
        status, resp = http("POST", base + "/predict", one, {"Content-Type": "application/json"})
        if status != 200:
            raise RuntimeError("POST /predict answered %d: %s" % (status, resp[:300]))
        seconds = 3 if args.tiny else 20
        # warm-up: a fresh JVM needs about 25 s of this load before the JIT has compiled the request path and the
        # throughput levels off (README, Performance); both endpoints share most of that path
        load(base + "/predict", one, 2 if args.tiny else 15, 16)
        load(base + "/actuator/health/liveness", None, 1 if args.tiny else 10, 16)
        result["liveness"] = load(base + "/actuator/health/liveness", None, seconds, 16)
        result["predict"] = load(base + "/predict", one, seconds, 16)

        big_rows = 1000 if args.tiny else 10000
        big = json.dumps({"modelId": model, "inputs": test_rows(args, big_rows), "output": "probabilities"}).encode()
        times = []
        # two untimed requests first, as the single-row load has its warm-up: the first large request runs the
        # forward pass's kernels at these shapes before the JIT has compiled them. Then eight, for their median:
        # on the serial collector's small heap every other one pays a full collection (README, Performance)
        for i in range(10):
            t3 = time.perf_counter()
            status, resp = http("POST", base + "/predict", big, {"Content-Type": "application/json"})
            if i >= 2:
                times.append(time.perf_counter() - t3)
            if status != 200:
                raise RuntimeError("POST /predict with %d rows answered %d: %s" % (big_rows, status, resp[:300]))
        result["big_rows"] = big_rows
        result["big_request_seconds"] = statistics.median(times)
        result["big_rows_per_second"] = big_rows / statistics.median(times)
        result["peak_rss_mib"] = vm_hwm_mib(proc.pid)
    except Exception as e:  # the report says what went wrong; the rest of the run still counts
        log("service benchmark failed: %s" % e)
        result["error"] = str(e)[:300]
    finally:
        if proc is not None:
            stop(proc)
        if "error" not in result:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


# ---------------------------------------------------------------------------------------------------- report
def machine():
    info = {"cpu": platform.processor() or "unknown", "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
        m = re.search(r"model name\s*:\s*(.+)", text)
        if m:
            info["cpu"] = m.group(1).strip()
        flags = re.search(r"flags\s*:\s*(.+)", text)
        info["avx512"] = bool(flags and "avx512f" in flags.group(1).split())
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            info["memory_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    info["java"] = java[0] if java else "unknown"
    info["python"] = platform.python_version()
    return info


def fmt(v, digits=3):
    if v is None:
        return "–"
    if isinstance(v, float):
        return ("%." + str(digits) + "f") % v
    return str(v)


def ratio(a, b):
    """a's seconds per epoch over b's: per round where both ran in it, as "median (lowest–highest)" over rounds."""
    if not a or not b or "seconds_per_epoch" not in a or "seconds_per_epoch" not in b:
        return None
    pairs = [(x, y) for x, y in zip(a.get("round_seconds_per_epoch") or [a["seconds_per_epoch"]],
                                    b.get("round_seconds_per_epoch") or [b["seconds_per_epoch"]]) if x and y]
    ratios = sorted(x / y for x, y in pairs)
    if not ratios:
        return None
    if ratios[0] == ratios[-1]:
        return ratios[0]
    return "%.2f (%.2f–%.2f)" % (statistics.median(ratios), ratios[0], ratios[-1])


def training(args, classpath, commands):
    """The engine, the peers and the service, --rounds times in turn: each round runs all of them, so that a ratio
    is taken between runs minutes apart at most, and the spread over rounds shows how much the machine's load moved
    it. Returns the combined training results and the service's rounds (an empty list with --skip-http)."""
    rounds, services = [], []
    for n in range(args.rounds):
        if args.rounds > 1:
            log("round %d of %d" % (n + 1, args.rounds))
        runs = [engine("float64", args, classpath), engine("float32", args, classpath)]
        if args.kernel != "ojalgo":
            # the fallback where the CPU has no fused multiply-add (nnserve.engine.kernel=auto chooses it there)
            runs.append(engine("float64", args, classpath, kernel="ojalgo"))
        if not args.skip_peers:
            runs += peers(args)
        rounds.append(runs)
        if commands:
            svc = service(args, commands)
            by = {r["name"]: r for r in runs if "error" not in r}
            e64, numpy64 = by.get("nnserve engine float64"), by.get("numpy float64 classic")
            # the job's time against the engine's own in this round, the same epochs and evaluations
            if e64 and e64.get("epochs") == svc.get("job_epochs") and e64.get("train_seconds"):
                svc["engine_train_seconds"] = e64["train_seconds"]
                for key in ("train_wall_seconds", "train_wall_seconds_again"):
                    if svc.get(key):
                        svc[key.replace("train_wall_seconds", "ratio_to_engine")] = svc[key] / e64["train_seconds"]
            if numpy64 and numpy64.get("peak_rss_mib") and svc.get("peak_rss_mib_training"):
                svc["numpy_peak_rss_mib"] = numpy64["peak_rss_mib"]
                svc["rss_ratio_to_numpy"] = svc["peak_rss_mib_training"] / numpy64["peak_rss_mib"]
            if svc.get("predict", {}).get("rps") and svc.get("liveness", {}).get("rps"):
                svc["predict_to_liveness"] = svc["predict"]["rps"] / svc["liveness"]["rps"]
            services.append(svc)
    return combine(rounds), services


def combine(rounds):
    """One result per implementation: its median round (by s/epoch), with every round's s/epoch (None where a
    round failed) in round_seconds_per_epoch, in round order, for the per-round ratios."""
    names = []
    for runs in rounds:
        names += [r["name"] for r in runs if r["name"] not in names]
    combined = []
    for name in names:
        results = [next((r for r in runs if r["name"] == name), None) for runs in rounds]
        good = sorted((r for r in results if r and "error" not in r), key=lambda r: r["seconds_per_epoch"])
        if not good:
            combined.append(next(r for r in results if r))
            continue
        chosen = dict(good[(len(good) - 1) // 2])
        chosen["round_seconds_per_epoch"] = [r["seconds_per_epoch"] if r and "error" not in r else None
                                             for r in results]
        combined.append(chosen)
    return combined


def command_options(args):
    """The options that shape the figures, as given on the command line."""
    return "".join([" --tiny" if args.tiny else "", " --cpu-time" if args.cpu_time else "",
                    " --rounds %d" % args.rounds if args.rounds > 1 else "",
                    " --kernel %s" % args.kernel if args.kernel != "vector" else ""])


def report(args, info, loads, runs, services, startup):
    by = {r["name"]: r for r in runs}
    e64, e32 = by.get("nnserve engine float64"), by.get("nnserve engine float32")
    lines = ["# Benchmarks", "",
             "Written by `python3 bench/benchmark.py%s` on %s UTC. Everything below comes from that ONE run, side by side "
             "on one machine; compare ratios, not absolute times, between machines." % (
                 command_options(args), datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")),
             ""]
    if args.cpu_time:
        lines += ["**Single core, CPU time**: every implementation trains on one thread (the engine with "
                  "`-XX:ActiveProcessorCount=1`, BLAS with `OPENBLAS_NUM_THREADS=1`, PyTorch `--threads 1`) and each "
                  "epoch is timed by the training thread's CPU time instead of the wall clock, so time the thread "
                  "spent waiting for a core on a busy machine does not count. It compares the code, one core each; "
                  "the two-core figures are in [benchmarks.md](benchmarks.md).", ""]
    if args.tiny:
        lines += ["**Tiny mode** (CI smoke run: %d training rows, %d epoch(s), seconds of load): these numbers mean "
                  "nothing." % (args.num_train, args.epochs), ""]
    if not args.cpu_time and not args.tiny:
        lines += ["The same training on one core each, timed by CPU time (so that other work on a busy machine does "
                  "not distort it): [benchmarks-single-core.md](benchmarks-single-core.md), written by "
                  "`python3 bench/benchmark.py --cpu-time --out docs/benchmarks-single-core.md`.", ""]
    lines += ["## Machine and settings", "",
              "- CPU: %s, %s cores, AVX-512: %s; memory %s GiB" % (info["cpu"], info["cores"], info.get("avx512"),
                                                                  info.get("memory_gib")),
              "- JDK: %s (Vector API: `--add-modules jdk.incubator.vector`); engine kernel: `%s`" % (info["java"], args.kernel),
              "- Python %s for the peers (peers from `%s`)" % (info["python"], args.peers_dir),
              "- Load average (1 min) before / after the run: %.2f / %.2f — the machine is shared; a high number "
              "means noisy timings" % loads,
              "- Training: Fashion-MNIST, %d training rows (the first), 10,000 validation rows (the last of the "
              "training file), the 10,000 t10k images to test; pixels / 255; 784-100-10, softmax, sgd, batch 200, "
              "lr 0.2, decay 0.95, L2 reg 1e-4, weightScale 0.05, seed 0, sampling with replacement, %d epochs. "
              "s/epoch = median over epochs of the training iterations only (sampling, forward, backward, update), "
              "as the peers count it." % (args.num_train, args.epochs),
              "", "## Training", "",
              "| implementation | s/epoch (median) | fastest – slowest epoch | samples/s | test accuracy | peak RSS (MiB) | engine float64 ÷ this | engine float32 ÷ this |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in runs:
        if "error" in r:
            lines.append("| %s | failed: %s | | | | | | |" % (r["name"], r["error"].replace("|", "/")))
            continue
        epochs = r.get("epoch_seconds") or []
        spread = "%s – %s" % (fmt(min(epochs), 3), fmt(max(epochs), 3)) if epochs else "–"
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["name"], fmt(r.get("seconds_per_epoch"), 4), spread, fmt(r.get("samples_per_second"), 0),
            fmt(r.get("test_acc"), 4), fmt(r.get("peak_rss_mib"), 0),
            fmt(ratio(e64, r), 2), fmt(ratio(e32, r), 2)))
    if args.rounds > 1:
        lines += ["", "%d rounds: each ran every implementation above in turn. s/epoch and its epoch spread, accuracy "
                  "and memory are the median round's (by s/epoch); the ratios are the median over rounds of the "
                  "ratio within each round (lowest–highest). s/epoch of each round:" % args.rounds, ""]
        lines += ["- %s: %s" % (r["name"], ", ".join(fmt(v, 4) for v in r["round_seconds_per_epoch"]))
                  for r in runs if "round_seconds_per_epoch" in r]
    lines += ["", "Targets (issue 7): engine float64 ≤ 0.5 × numpy float64 classic; engine float32 ≤ 0.6 × PyTorch "
              "float32 on 1 thread; test accuracy 0.86-0.88. A wide fastest–slowest spread means other work on the "
              "machine took cores during that run (two-thread BLAS suffers most: its threads wait for each other).", ""]
    lines += ["## The service over HTTP", ""]
    if args.skip_http:
        lines += ["Not run (--skip-http).", ""]
    else:
        lines += service_report(args, services, startup)
    raw = runs + services + ([dict(startup, name="nnserve start-up")] if startup else [])
    lines += ["## Raw results", "", "```json"] + [json.dumps(r, sort_keys=True) for r in raw] + ["```", ""]
    return "\n".join(lines)


def over_rounds(services, key, digits, unit=""):
    """A figure of the service's rounds: "median (lowest–highest)", or the one value, or – where none was measured."""
    values = [v for v in (key(svc) if callable(key) else svc.get(key) for svc in services) if v is not None]
    if not values:
        return "–"
    median = fmt(float(statistics.median(values)), digits) + unit
    lowest, highest = fmt(float(min(values)), digits), fmt(float(max(values)), digits)
    return median if lowest == highest else "%s (%s–%s)" % (median, lowest, highest)


def service_report(args, services, startup):
    """The service's section: each figure as the median over rounds with its range, targets beside them."""
    lines = []
    if startup and "error" in startup:
        lines += ["The start-up benchmark failed: %s" % startup["error"], ""]
    skipped = next((svc["skipped"] for svc in services if "skipped" in svc), None)
    if skipped:
        return lines + ["Skipped: %s." % skipped, ""]
    errors = ["round %d: %s" % (n + 1, svc["error"]) for n, svc in enumerate(services) if "error" in svc]
    if errors:
        lines += ["Stopped early: %s" % "; ".join(errors), ""]
    measured = [svc for svc in services if "startup_seconds" in svc]
    command = next((svc["command"] for svc in services if "command" in svc), None)
    lines += ["Service started as `%s` from a fresh data directory%s; its resident memory is read from "
              "`/proc/PID/status` (VmHWM), the peers' from `wait4`.%s" % (
                  command, " in each round" if len(measured) > 1 else "", " Each figure is the median over the %d rounds, with the lowest and highest in brackets; a "
                           "ratio is taken within each round first." % len(measured) if len(measured) > 1 else ""), ""]
    rows = [("start-up to ready (`/actuator/health/readiness` 200), %s" % name,
             "%s s (median of %s)" % (fmt(statistics.median(times), 2), ", ".join(fmt(t, 2) for t in times)),
             "target < 4 s on an idle machine")
            for name, times in ((startup or {}).get("startup") or {}).items()]
    epochs = next((svc["job_epochs"] for svc in measured if svc.get("job_epochs")), None)
    rows += [
        ("IDX upload of the 60,000 training images", over_rounds(measured, "upload_seconds", 2, " s"), ""),
        ("`POST /train` to SUCCEEDED, %s epochs: the first job, right after the upload" % epochs,
         over_rounds(measured, "train_wall_seconds", 2, " s"),
         "engine in-process, same epochs and evaluations (`Solver.train`): %s; ratio %s (target ≤ 1.10)" % (
             over_rounds(measured, "engine_train_seconds", 2, " s"), over_rounds(measured, "ratio_to_engine", 2))),
        ("the same job again (the training code compiled by now)", over_rounds(measured, "train_wall_seconds_again", 2, " s"),
         "ratio %s to the engine in-process" % over_rounds(measured, "ratio_to_engine_again", 2)),
        ("peak RSS of the service up to the end of training", over_rounds(measured, "peak_rss_mib_training", 0, " MiB"),
         "numpy float64 classic peer: %s; ratio %s (target ≤ 1.5)" % (
             over_rounds(measured, "numpy_peak_rss_mib", 0, " MiB"), over_rounds(measured, "rss_ratio_to_numpy", 2)))]
    loaded = [svc for svc in measured if svc.get("predict")]
    if loaded:
        for name, key, against in (
                ("single-row `POST /predict`, 16 connections (%s)" % loaded[0]["predict"].get("client"), "predict",
                 "target p99 ≤ 5 ms; non-2xx: %d" % sum(svc["predict"].get("non_2xx") or 0 for svc in loaded)),
                ("`GET /actuator/health/liveness`, 16 connections, same service", "liveness",
                 "predict ÷ liveness throughput: %s (target ≥ 0.7)" % over_rounds(loaded, "predict_to_liveness", 2))):
            rows.append((name, "%s; p50 %s, p99 %s" % (
                over_rounds(loaded, lambda svc: svc[key].get("rps"), 0, " req/s"),
                over_rounds(loaded, lambda svc: svc[key].get("p50_ms"), 2, " ms"),
                over_rounds(loaded, lambda svc: svc[key].get("p99_ms"), 2, " ms")), against))
    big = [svc for svc in measured if svc.get("big_rows_per_second")]
    if big:
        rows.append(("one `POST /predict` of %d rows, end to end" % big[0]["big_rows"],
                     "%s; %s per request" % (over_rounds(big, "big_rows_per_second", 0, " rows/s"),
                                              over_rounds(big, "big_request_seconds", 3, " s")),
                     "target ≥ 50,000 rows/s"))
    lines += ["| what | measured | against |", "| --- | --- | --- |"]
    lines += ["| %s | %s | %s |" % r for r in rows]
    lines += ["", "The load client runs on the same 2 cores as the service (loopback), so both figures are lower than "
              "on a separate client machine; their ratio is the comparable number.", ""]
    if len(measured) > 1:
        lines += ["Each round: the first job, the same job again (seconds, and their ratio to that round's engine "
                  "float64 run), and the single-row p99 of predict and of liveness:", ""]
        lines += ["- round %d: %s s (%s), %s s (%s); p99 %s / %s ms" % (
            n + 1, fmt(svc.get("train_wall_seconds"), 2), fmt(svc.get("ratio_to_engine"), 2),
            fmt(svc.get("train_wall_seconds_again"), 2), fmt(svc.get("ratio_to_engine_again"), 2),
            fmt((svc.get("predict") or {}).get("p99_ms"), 2), fmt((svc.get("liveness") or {}).get("p99_ms"), 2))
            for n, svc in enumerate(services)]
        lines.append("")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peers-dir", default=os.environ.get("NNSERVE_PEERS", os.path.join(ROOT, "..", "shared", "peers")))
    ap.add_argument("--data-dir", default=os.environ.get("FMNIST_DIR", FMNIST))
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--num-train", type=int, default=50000)
    ap.add_argument("--kernel", default="vector", choices=["vector", "ojalgo", "auto"])
    ap.add_argument("--tiny", action="store_true", help="CI smoke run: 1 epoch on 4,000 rows, 3 s of load")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the engine, the peers and the service this many times in turn and report the median "
                         "round and the per-round ratios (an odd number gives a true median)")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--build", action="store_true", help="rebuild the classes and the jar first")
    ap.add_argument("--service-jvm-args", default="", help="extra JVM options for the service, e.g. '-Xmx1g'")
    ap.add_argument("--cpu-time", action="store_true",
                    help="training on ONE core, epochs timed by the training thread's CPU time (engine, numpy, "
                         "PyTorch and scikit-learn alike): a comparison that other work on a busy machine does not "
                         "distort; implies --skip-http")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    args = ap.parse_args()
    args.peers_dir = os.path.abspath(args.peers_dir)
    if args.tiny:
        args.epochs, args.num_train = 1, 4000
    if args.cpu_time:
        args.skip_http = True
    if not os.path.exists(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz")):
        sys.exit("Fashion-MNIST not found in %s: apt-get install -y dataset-fashion-mnist (or --data-dir)" % args.data_dir)

    load_before = os.getloadavg()[0]
    info = machine()
    classpath = java_classpath(args.build)
    if args.rounds < 1:
        sys.exit("--rounds must be at least 1")
    commands = None if args.skip_http else launches(args)
    runs, services = training(args, classpath, commands)
    startup = None
    if commands:
        startup = {}
        try:
            startup["startup"] = startups(commands, 1 if args.tiny else 3)
        except Exception as e:  # the report says what went wrong; the rest of the run still counts
            log("start-up benchmark failed: %s" % e)
            startup["error"] = str(e)[:300]
    text = report(args, info, (load_before, os.getloadavg()[0]), runs, services, startup)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    log("wrote " + args.out)
    print(text)
    failed = [r["name"] for r in runs if "error" in r and r["name"].startswith("nnserve")]
    if any("error" in svc for svc in services) or (startup and "error" in startup):
        failed.append("the service benchmark")
    if failed:
        sys.exit("failed: " + ", ".join(failed))


if __name__ == "__main__":
    main()
