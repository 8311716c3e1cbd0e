#!/usr/bin/env python3
"""PyTorch peer for `lanes bench train`: one training step (forward, cross-entropy, backward, SGD) at batch 64 on
1x28x28 inputs, for the MLP 784-256-128-10 (ReLU) and LeNet-5 (ReLU, max pooling); images per second, median of
rounds, and optionally JSON with the same fields.

    /usr/bin/python3 bench/python/train_torch.py [--threads 1,2] [--json FILE]
"""
import argparse, json, os, tempfile, time
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
    return {"mlp784-256-128-10": mlp, "lenet5": lenet}


def measure(model, rounds=7, round_s=0.5):
    g = torch.Generator().manual_seed(3)
    x = torch.rand((BATCH, 1, 28, 28), generator=g)
    y = torch.randint(0, 10, (BATCH,), generator=g)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,%d" % os.cpu_count())
    ap.add_argument("--json")
    a = ap.parse_args()
    rows = []
    for t in sorted({int(v) for v in a.threads.split(",")}):
        torch.set_num_threads(t)
        print("\nTraining, PyTorch %s, %d thread%s, batch %d" % (torch.__version__, t, "" if t == 1 else "s", BATCH))
        for name, model in models().items():
            ips = measure(model)
            print("%-20s %10.0f images/s" % (name, ips))
            rows.append({"suite": "train", "impl": "pytorch", "case": name, "threads": t, "images_per_s": round(ips, 1)})
    if a.json:
        d = os.path.dirname(os.path.abspath(a.json))
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".train_torch", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(rows, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, a.json)
        print("wrote", a.json)


if __name__ == "__main__":
    main()
