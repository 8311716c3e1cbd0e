#!/usr/bin/env python3
"""PyTorch peer for `lanes bench train`: one training step (forward, cross-entropy, backward, SGD with momentum 0.9
and weight decay 5e-4, the update `lanes train` ships) at batch 64 on
1x28x28 inputs, for the MLP 784-256-128-10 (ReLU) and LeNet-5 (ReLU, max pooling); images per second, median of
rounds, and optionally JSON with the same fields.

    /usr/bin/python3 bench/python/train_torch.py [--threads 1,2] [--json FILE]

End to end (the peer of `lanes bench e2e`): LeNet-5 trained on an MNIST-format folder as `lanes train --data DIR`
trains it (pixels / 255, batch 64 with the last partial batch, a new shuffle each epoch, SGD lr 0.01 momentum 0.9,
no weight decay, the test set evaluated after every epoch and not counted in the training time); one JSON object
with the fields of `lanes train --json` (per_epoch seconds are training seconds so far).

    /usr/bin/python3 bench/python/train_torch.py --e2e DIR [--epochs 2] [--threads 1] [--seed 1] [--json FILE]
"""
import argparse, gzip, json, os, resource, struct, sys, tempfile, time
import peer_env  # noqa: F401  (before torch: see peer_env.py)
import torch
import torch.nn as nn

BATCH = 64


def models():
    torch.manual_seed(1)
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                        nn.Linear(128, 10))
    lenet = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    return {"mlp:784-256-128-10": mlp, "lenet5": lenet}


def measure(model, rounds=7, round_s=0.5):
    g = torch.Generator().manual_seed(3)
    x = torch.rand((BATCH, 1, 28, 28), generator=g)
    y = torch.randint(0, 10, (BATCH,), generator=g)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)    # as lanes train
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    t0 = time.perf_counter()
    step()
    reps = max(1, int(round_s / max(time.perf_counter() - t0, 1e-6)))
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        rates.append(reps * BATCH / (time.perf_counter() - t0))
    rates.sort()
    return rates[len(rates) // 2]


def read_idx(path):
    """An IDX file (gzip or not) as (dims, bytes): ubyte images (n, rows, cols) or labels (n)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, kind, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        sys.exit("%s: not an IDX file of unsigned bytes" % path)
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(folder, name)
        if os.path.exists(p):
            return p
    sys.exit("%s: no %s or %s.gz" % (folder, stem, stem))


def load(folder, split):
    (n, rows, cols), pixels = read_idx(find(folder, split + "-images-idx3-ubyte"))
    (m,), labels = read_idx(find(folder, split + "-labels-idx1-ubyte"))
    if m != n:
        sys.exit("%s: %d images but %d labels" % (folder, n, m))
    x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(n, 1, rows, cols).float().div_(255)
    y = torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()
    return x, y


def accuracy(model, x, y, batch=BATCH):
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def end_to_end(a):
    start = time.perf_counter()
    torch.set_num_threads(int(a.threads))
    xs, ys = load(a.e2e, "train")
    xt, yt = load(a.e2e, "t10k")
    loaded = time.perf_counter() - start
    model = models()["lenet5"]
    torch.manual_seed(a.seed)               # a fresh draw per seed, PyTorch's default initialisation
    for m in model.modules():
        if hasattr(m, "reset_parameters"):
            m.reset_parameters()
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(a.seed)
    epochs, trained = [], 0.0
    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        model.train()
        order = torch.randperm(len(xs), generator=g)
        total, steps = 0.0, 0
        for i in range(0, len(xs), BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(xs[idx]), ys[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            steps += 1
        seconds = time.perf_counter() - t0
        trained += seconds
        model.eval()
        acc = accuracy(model, xt, yt)
        epochs.append({"epoch": epoch + 1, "train_loss": round(total / steps, 6), "test_accuracy": round(acc, 6),
                       "seconds": round(trained, 3), "images_per_s": round(len(xs) / seconds, 1)})
        print("epoch %d: %.0f images/s, test accuracy %.2f %%" % (epoch + 1, len(xs) / seconds, 100 * acc))
    report = {"impl": "pytorch", "torch": torch.__version__, "model": "lenet5", "threads": int(a.threads),
              "seed": a.seed, "epochs": a.epochs, "batch": BATCH, "test_accuracy": epochs[-1]["test_accuracy"],
              "images_per_s": round(a.epochs * len(xs) / trained, 1), "seconds": round(trained, 3),
              "data_loaded_s": round(loaded, 3), "process_seconds": round(time.perf_counter() - start, 3),
              "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "per_epoch": epochs}
    if a.json:
        write_json(a.json, report)


def write_json(path, value):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".train_torch", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(value, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    print("wrote", path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,%d" % os.cpu_count())
    ap.add_argument("--json")
    ap.add_argument("--e2e", metavar="DIR", help="train LeNet-5 end to end on this MNIST-format folder")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    a = ap.parse_args()
    if a.e2e:
        if "," in a.threads:
            sys.exit("--e2e takes one thread count, not %s" % a.threads)
        end_to_end(a)
        return
    rows = []
    for t in sorted({int(v) for v in a.threads.split(",")}):
        torch.set_num_threads(t)
        print("\nTraining, PyTorch %s, %d thread%s, batch %d" % (torch.__version__, t, "" if t == 1 else "s", BATCH))
        for name, model in models().items():
            ips = measure(model)
            print("%-20s %10.0f images/s" % (name, ips))
            rows.append({"suite": "train", "impl": "pytorch", "case": name, "threads": t, "images_per_s": round(ips, 1)})
    if a.json:
        write_json(a.json, rows)


if __name__ == "__main__":
    main()
