#!/usr/bin/python3
"""Lanes <-> PyTorch interop: the PyTorch twins of Lanes' built-in models, safetensors without the safetensors
package, and the fixtures Lanes' tests check against.

  torch_interop.py fixtures [--out DIR]
      Builds every built-in model in PyTorch, trains LeNet-5 briefly on the digits in data/digits, and writes for
      each model NAME.safetensors (its state_dict), NAME.onnx (torch.onnx.export, opset 13; all but tdnn) and
      NAME.logits.json (the logits of the first 16 test images, and for the trained model its test accuracy). The default DIR is interop/fixtures, where they are
      committed.

  torch_interop.py check --model FILE.safetensors --logits FILE.json
      Loads a safetensors file Lanes wrote (`lanes export --format safetensors`) into the PyTorch twin of the
      architecture its metadata names, with load_state_dict(strict=True), and compares its logits with the ones
      Lanes wrote (`lanes predict --model FILE --logits FILE.json IMAGES`), on the inputs that file holds. Exit
      status 1 if any differs by more than the float32 error bound.

  torch_interop.py summaries [--out FILE]
      For LeNet-5, the AlexNet-pattern CNN, the TDNN and three specs drawn at random (seed 23: two of images, one over time) from every layer and
      keyword Lanes reads, writes each model's text in PyTorch's words, its input shape, its parameter count
      (sum of numel over model.parameters()) and every layer's output shape (forward hooks on a batch of one), for
      `lanes summary` to be held to. The default FILE is interop/fixtures/summaries.json.

Runs where /usr/bin/python3 has torch and numpy (Debian: python3-torch). Only json, struct and numpy read and
write the files: the safetensors package is not needed.
"""
import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
DIGITS = os.path.join(ROOT, 'data', 'digits')
FIXTURES = os.path.join(ROOT, 'interop', 'fixtures')
PROBES = 16  # logits are written for the first PROBES test images
UNIT = 2.0 ** -24  # float32 unit roundoff


# ---- data ----------------------------------------------------------------------------------------------------
def read_idx(path):
    """An IDX file as a numpy array; ubyte images become float32 byte / 255 exactly as Lanes computes it."""
    with gzip.open(path) as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    rank = magic & 0xff
    dims = struct.unpack('>' + 'I' * rank, data[4:4 + 4 * rank])
    a = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)
    return a


def digits(split):
    images = read_idx(os.path.join(DIGITS, split + '-images-idx3-ubyte.gz'))
    labels = read_idx(os.path.join(DIGITS, split + '-labels-idx1-ubyte.gz'))
    x = images.astype(np.float32)[:, None, :, :] / np.float32(255)
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


# ---- the PyTorch twins of Lanes' architectures --------------------------------------------------------------
def build(text, input=(1, 28, 28)):
    """The nn.Sequential whose state_dict names and layouts are those Lanes writes for architecture `text` on
    examples of shape `input` (Lanes' metadata lanes.input)."""
    kind, _, sizes = text.partition(':')
    if kind in ('lenet5', 'lenet5-classic'):
        channels, classes = (int(v) for v in sizes.split('-')) if sizes else (1, 10)
        act = nn.Tanh if kind == 'lenet5-classic' else nn.ReLU
        pool = (lambda: nn.AvgPool2d(2)) if kind == 'lenet5-classic' else (lambda: nn.MaxPool2d(2))
        return nn.Sequential(nn.Conv2d(channels, 6, 5, padding=2), act(), pool(), nn.Conv2d(6, 16, 5), act(),
                             pool(), nn.Flatten(), nn.Linear(400, 120), act(), nn.Linear(120, 84), act(),
                             nn.Linear(84, classes))
    if kind == 'alexnet':
        channels, classes = (int(v) for v in sizes.split('-'))
        def side(n):
            n = (n + 1) // 2
            for _ in range(2):
                n = (n + 2 - 3) // 2 + 1
            return n // 2
        return nn.Sequential(
            nn.Conv2d(channels, 32, 5, stride=2, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
            nn.Conv2d(64, 96, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Flatten(), nn.Linear(96 * side(input[1]) * side(input[2]), 128), nn.ReLU(), nn.Linear(128, classes))
    if kind == 'mlp':
        s = [int(v) for v in sizes.split('-')]
        layers = [nn.Flatten()]
        for i in range(len(s) - 1):
            layers.append(nn.Linear(s[i], s[i + 1]))
            if i + 2 < len(s):
                layers.append(nn.ReLU())
        return nn.Sequential(*layers)
    if kind == 'softmax':
        f, c = (int(v) for v in sizes.split('-'))
        return nn.Sequential(nn.Flatten(), nn.Linear(f, c))
    if kind == 'logistic':
        return nn.Sequential(nn.Flatten(), nn.Linear(int(sizes), 1))
    if kind == 'tdnn':
        cl, hidden, classes = sizes.split('-')
        channels, length = (int(v) for v in cl.split('x'))
        hidden, classes = int(hidden), int(classes)
        left = length - 4 - 4
        return nn.Sequential(nn.Flatten(1, 2), nn.Sequential(
            nn.Conv1d(channels, hidden, 5), nn.ReLU(), nn.Conv1d(hidden, hidden, 3, dilation=2), nn.ReLU(),
            nn.AvgPool1d(left), nn.Flatten(), nn.Linear(hidden, classes)))
    raise SystemExit('unknown architecture ' + text)


# ---- safetensors with json + struct + numpy -----------------------------------------------------------------
DTYPES = {'F32': (np.float32, 4), 'F16': (np.float16, 2), 'BF16': (None, 2)}


def save_safetensors(path, tensors, metadata, dtypes=None):
    """tensors: name -> float32 numpy array, written in order; dtypes: name -> 'F32' | 'F16' | 'BF16'."""
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name, a in tensors.items():
        dtype = (dtypes or {}).get(name, 'F32')
        a = np.ascontiguousarray(a, dtype=np.float32)
        if dtype == 'F32':
            raw = a.astype('<f4').tobytes()
        elif dtype == 'F16':
            raw = a.astype('<f2').tobytes()
        else:  # BF16: the top half of each float32, rounded to nearest even
            bits = a.view(np.uint32).astype(np.uint64)
            bits = (bits + 0x7fff + ((bits >> 16) & 1)) >> 16
            raw = bits.astype('<u2').tobytes()
        header[name] = {'dtype': dtype, 'shape': list(a.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)
    os.replace(tmp, path)


def load_safetensors(path):
    """(metadata, name -> float32 numpy array), checking that the offsets tile the data."""
    with open(path, 'rb') as f:
        data = f.read()
    n, = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n].decode('utf-8'))
    metadata = header.pop('__metadata__', {})
    body = data[8 + n:]
    out, end = {}, 0
    for name, e in sorted(header.items(), key=lambda kv: kv[1]['data_offsets'][0]):
        b, f_ = e['data_offsets']
        assert b == end, '%s: %s starts at %d, not %d' % (path, name, b, end)
        raw = body[b:f_]
        if e['dtype'] == 'BF16':
            a = (np.frombuffer(raw, '<u2').astype(np.uint32) << 16).view(np.float32)
        else:
            a = np.frombuffer(raw, '<f' + str(DTYPES[e['dtype']][1])).astype(np.float32)
        out[name] = a.reshape(e['shape'])
        end = f_
    assert end == len(body), '%s: the tensors cover %d of %d bytes' % (path, end, len(body))
    return metadata, out


# ---- the float32 error bound ----------------------------------------------------------------------------------
def bound(model, x):
    """An upper bound on |float32 logits - exact logits|, per element: sum over layers of gamma(K+1) times the
    magnitude pass (|weights|, |bias|, |x|, tanh as the identity), which dominates every layer's sum of |terms|
    and the propagated error of the layers before it."""
    gammas, h = 0.0, x.abs().double()
    for m in flat(model):
        if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d)):
            k = m.weight[0].numel() + 1
            gammas += k * UNIT / (1 - k * UNIT)
            w, b = m.weight.detach().abs().double(), m.bias.detach().abs().double()
            if isinstance(m, nn.Linear):
                h = h @ w.T + b
            elif isinstance(m, nn.Conv1d):
                h = torch.nn.functional.conv1d(h, w, b, m.stride, m.padding, m.dilation, m.groups)
            else:
                h = torch.nn.functional.conv2d(h, w, b, m.stride, m.padding, m.dilation, m.groups)
        elif isinstance(m, (nn.AvgPool1d, nn.AvgPool2d)):
            k = int(np.prod(m.kernel_size))
            gammas += (k + 1) * UNIT
            h = m(h)
        elif isinstance(m, (nn.Tanh, nn.ReLU)):
            pass  # |tanh z| <= |z|, relu(z) = z on the magnitudes; both 1-Lipschitz
        else:
            h = m(h)
    return 2 * gammas * h  # two float32 computations, each within the bound of the exact one


def flat(model):
    for m in model:
        if isinstance(m, nn.Sequential):
            yield from flat(m)
        else:
            yield m


# ---- commands ---------------------------------------------------------------------------------------------------
def fixtures(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1)
    x_train, y_train = digits('train')
    x_test, y_test = digits('t10k')
    probes = x_test[:PROBES]
    specs = [('lenet5', 'F32', True), ('lenet5-classic', 'F32', False), ('mlp:784-32-16-10', 'F16', False),
             ('softmax:784-10', 'BF16', False), ('logistic:784', 'F32', False), ('tdnn:28x28-64-10', 'F32', False)]
    for text, dtype, train in specs:
        model = build(text)
        record = {'architecture': text, 'input': [1, 28, 28], 'dtype': dtype,
                  'probes': 'the first %d images of data/digits/t10k' % PROBES}
        if train:
            opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
            for epoch in range(2):
                order = torch.randperm(len(x_train))
                for i in range(0, len(order), 64):
                    idx = order[i:i + 64]
                    opt.zero_grad()
                    nn.functional.cross_entropy(model(x_train[idx]), y_train[idx]).backward()
                    opt.step()
        state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
        if dtype != 'F32':  # the weights PyTorch computes with are the ones the file holds
            _, rounded = roundtrip(state, dtype, out)
            model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in rounded.items()})
        with torch.no_grad():
            if train:
                record['test_accuracy'] = float((model(x_test).argmax(1) == y_test).double().mean())
                record['test_images'] = len(x_test)
            record['logits'] = model(probes).tolist()
        name = text.split(':')[0]
        if kind_of(text) != 'tdnn':
            # tdnn's first layer, nn.Flatten(1, 2), exports as a Reshape to a shape computed at run time (Shape,
            # Slice, Concat), which Lanes' import refuses, naming the Shape node
            torch.onnx.export(model.eval(), probes[:1], os.path.join(out, name + '.onnx'), input_names=['input'],
                              output_names=['output'], dynamic_axes={'input': {0: 'N'}, 'output': {0: 'N'}},
                              opset_version=13)
        save_safetensors(os.path.join(out, name + '.safetensors'), state, {'format': 'pt'},
                         {k: dtype for k in state})
        with open(os.path.join(out, name + '.logits.json'), 'w') as f:
            json.dump(record, f, indent=1)
        print('%-20s %s %s' % (text, dtype, ('test accuracy %.4f' % record['test_accuracy']) if train else ''))


def kind_of(text):
    return text.split(':')[0]


def roundtrip(state, dtype, out):
    path = os.path.join(out, '.roundtrip.safetensors')
    save_safetensors(path, state, {}, {k: dtype for k in state})
    try:
        return load_safetensors(path)
    finally:
        os.remove(path)


def check(model_file, logits_file):
    metadata, tensors = load_safetensors(model_file)
    text = metadata.get('lanes.architecture')
    if text is None:
        raise SystemExit(model_file + ': no lanes.architecture metadata')
    shape = tuple(int(v) for v in metadata.get('lanes.input', '1,28,28').split(','))
    model = build(text, shape)
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()}, strict=True)
    with open(logits_file) as f:
        record = json.load(f)
    lanes = torch.tensor(record['logits'], dtype=torch.float32)
    if 'inputs' in record:  # what the model saw, as lanes predict --logits writes it
        probes = torch.tensor(record['inputs'], dtype=torch.float32).reshape((-1,) + shape)
    else:
        x_test, _ = digits('t10k')
        probes = x_test[:len(lanes)]
    with torch.no_grad():
        torch_logits = model(probes)
        tol = bound(model, probes)
    same = int((torch_logits.argmax(1) == lanes.argmax(1)).sum())
    diff = (torch_logits.double() - lanes.double()).abs()
    worst = int(torch.argmax(diff - tol))
    i, j = divmod(worst, diff.shape[1])
    ok = bool((diff <= tol).all()) and (lanes.shape[1] == 1 or same == len(lanes))
    print('%s: %s (%s) in PyTorch: %d logits, largest difference %.3g, tolerance there %.3g; worst against its '
          'tolerance: image %d class %d: Lanes %.9g, PyTorch %.9g, tolerance %.3g; the same predicted class for '
          '%d of %d images: %s'
          % (model_file, text, 'load_state_dict strict', diff.numel(), float(diff.max()), float(tol.flatten()[
              int(torch.argmax(diff))]), i, j, float(lanes[i, j]), float(torch_logits[i, j]), float(tol[i, j]),
             same, len(lanes), 'match' if ok else 'DIFFER'))
    return 0 if ok else 1


# ---- summaries: parameter counts and output shapes, PyTorch's own --------------------------------------------
def random_spec(rng, two_d):
    """A model in PyTorch's words, drawn from the layers and keywords Lanes reads, and its input shape."""
    while True:
        try:
            return draw_spec(rng, two_d)
        except RuntimeError:
            pass                                             # a kernel larger than what reaches it: draw again


def draw_spec(rng, two_d):
    if two_d:                                                # 2-D: images
        c, h, w = rng.choice([1, 3]), rng.randint(20, 40), rng.randint(20, 40)
        layers, ch = [], c
        for _ in range(rng.randint(1, 3)):
            out = rng.choice([4, 6, 8, 12])
            k = (rng.randint(1, 4), rng.randint(1, 4)) if rng.random() < 0.3 else rng.randint(1, 5)
            groups = 2 if ch % 2 == 0 and out % 2 == 0 and rng.random() < 0.3 else 1
            kw = []
            if rng.random() < 0.5:
                kw.append('stride=%d' % rng.randint(1, 2))
            if rng.random() < 0.5:
                kw.append('padding=%d' % rng.randint(0, 2))
            if rng.random() < 0.3:
                kw.append('dilation=%d' % rng.randint(1, 2))
            if groups > 1:
                kw.append('groups=%d' % groups)
            if rng.random() < 0.3:
                kw.append('bias=False')
            ks = '(%d, %d)' % k if isinstance(k, tuple) else str(k)
            layers.append('Conv2d(%d, %d, kernel_size=%s%s)' % (ch, out, ks, ''.join(', ' + a for a in kw)))
            layers.append(rng.choice(['ReLU()', 'Tanh()', 'Sigmoid()', 'LeakyReLU(negative_slope=0.2)',
                                      'ELU(alpha=0.5)']))
            if rng.random() < 0.6:
                kind = rng.choice(['MaxPool2d', 'AvgPool2d'])
                opts = ', ceil_mode=True' if rng.random() < 0.4 else ''
                if kind == 'AvgPool2d' and rng.random() < 0.5:
                    opts += ', count_include_pad=False'
                layers.append('%s(2%s)' % (kind, opts))
            ch = out
        shape = (c, h, w)
    else:                                                    # 1-D: features over time
        c, length = rng.randint(2, 40), rng.randint(30, 100)
        layers, ch = [], c
        for _ in range(rng.randint(1, 3)):
            out = rng.choice([8, 16, 32])
            kw = ', dilation=%d' % rng.randint(1, 3) if rng.random() < 0.5 else ''
            kw += ', stride=2' if rng.random() < 0.3 else ''
            layers.append('Conv1d(%d, %d, kernel_size=%d%s)' % (ch, out, rng.randint(1, 5), kw))
            layers.append(rng.choice(['ReLU()', 'Tanh()']))
            if rng.random() < 0.5:
                layers.append(rng.choice(['MaxPool1d(2)', 'AvgPool1d(3, stride=2, padding=1)']))
            ch = out
        shape = (c, length)
    x = torch.zeros((1,) + shape)
    body = nn.Sequential(*[eval('nn.' + l) for l in layers])
    features = body(x).numel()
    layers += ['Flatten()', 'Linear(%d, %d)' % (features, rng.choice([2, 10])), 'Softmax(dim=-1)']
    return ', '.join(layers), shape


def summaries(out):
    import random
    rng = random.Random(23)
    specs = [
        ('Conv2d(1, 6, kernel_size=5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, kernel_size=5), ReLU(), '
         'MaxPool2d(2), Flatten(), Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)', (1, 28, 28)),
        ('Conv2d(3, 32, kernel_size=5, stride=2, padding=2), ReLU(), MaxPool2d(3, stride=2, padding=1), '
         'Conv2d(32, 64, kernel_size=3, padding=1), ReLU(), MaxPool2d(3, stride=2, padding=1), Conv2d(64, 96, '
         'kernel_size=3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(384, 128), ReLU(), Linear(128, 6)',
         (3, 32, 32)),
        ('Flatten(1, 2), Sequential(Conv1d(28, 64, kernel_size=5), ReLU(), Conv1d(64, 64, kernel_size=3, '
         'dilation=2), ReLU(), AvgPool1d(20), Flatten(), Linear(64, 10))', (1, 28, 28)),
    ]
    specs += [random_spec(rng, two_d) for two_d in (True, False, True)]
    models = []
    for text, shape in specs:
        model = eval('nn.Sequential(' + text.replace('Sequential(', 'nn.Sequential(').replace(
            'nn.nn.', 'nn.') + ')', {'nn': nn, **{k: getattr(nn, k) for k in dir(nn) if k[0].isupper()}})
        shapes = []
        for m in model.modules():
            if not isinstance(m, nn.Sequential):
                m.register_forward_hook(lambda mod, i, o: shapes.append(list(o.shape[1:])))
        with torch.no_grad():
            model(torch.zeros((1,) + tuple(shape)))
        models.append({'model': text, 'input': list(shape), 'parameters': sum(p.numel() for p in model.parameters()),
                       'outputs': shapes})
    with open(out, 'w') as f:
        json.dump({'torch': torch.__version__, 'models': models}, f, indent=1)
        f.write('\n')
    print('wrote', out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='command', required=True)
    f = sub.add_parser('fixtures')
    f.add_argument('--out', default=FIXTURES)
    m = sub.add_parser('summaries')
    m.add_argument('--out', default=os.path.join(FIXTURES, 'summaries.json'))
    c = sub.add_parser('check')
    c.add_argument('--model', required=True)
    c.add_argument('--logits', required=True)
    a = p.parse_args()
    torch.set_num_threads(1)
    if a.command == 'fixtures':
        fixtures(a.out)
        return 0
    if a.command == 'summaries':
        summaries(a.out)
        return 0
    return check(a.model, a.logits)


if __name__ == '__main__':
    sys.exit(main())
