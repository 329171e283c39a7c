"""SPP-SCL's heads on cached features in PyTorch, written from ALGORITHMS.md sections 2.3, 2.4 and
8.2 (not from the TypeScript port), for `npm run bench spp-scl`: from the port's initial weights,
on the port's batches and learning rates, each step's loss terms and its step-2 decision.

The model is the port's reading for cached features (src/main/training/models/spp-scl.ts, its
header says why): Linear+ReLU per modality (128), Contra = Linear 128->32, ReLU, Linear 32->32;
Align = Linear 32->32, ReLU; per-post CMF values V_T(Tp), V_I(Ip); classifier on
[Tm; Im; Ip; Tp] -> 64 -> ReLU -> 3. Dropout 0 (the fixture sets it), so no masks to match.

Usage: python3 spp_scl_reference.py FIXTURE  ->  one JSON line {"stats": [...], "torch": version}
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, __import__("os").path.dirname(__file__))
from scdr_reference import unpack  # noqa: E402  (the fixture layout is shared)

torch.set_num_threads(2)


def sup_con_intra(x, y, tau):
    """CLoss: diagonal logit zeroed by multiplication, so exp(0) = 1 stays in the denominator."""
    z = F.normalize(x, dim=1)
    b = z.shape[0]
    logits = (z @ z.T) / tau
    off = 1.0 - torch.eye(b)
    logits = logits * off
    same = (y[:, None] == y[None, :]).float() * off
    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    per_anchor = (same * log_prob).sum(1) / same.sum(1).clamp(min=1)
    return -per_anchor.mean()


def sup_con_inter(t, i, y, tau):
    """CLoss_T_I(T, I, y): text anchors, image candidates, positives include the matched pair."""
    logits = (F.normalize(t, dim=1) @ F.normalize(i, dim=1).T) / tau
    same = (y[:, None] == y[None, :]).float()
    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    return -((same * log_prob).sum(1) / same.sum(1)).mean()


class Model(torch.nn.Module):
    def __init__(self, weights, shapes):
        super().__init__()
        self.p = torch.nn.ParameterDict()
        for name, values in weights.items():
            t = torch.tensor(np.array(values, dtype=np.float32)).reshape(shapes[name])
            self.p[name.replace(".", "_")] = torch.nn.Parameter(t)

    def lin(self, name, x, relu=False):
        out = x @ self.p[name + "_w"] + self.p[name + "_b"]
        return torch.relu(out) if relu else out

    def forward(self, txt, img):
        tl = self.lin("tl", txt, True)
        il = self.lin("il", img, True)
        tp = self.lin("ta", self.lin("tc2", self.lin("tc1", tl, True)), True)
        ip = self.lin("ia", self.lin("ic2", self.lin("ic1", il, True)), True)
        fused = torch.cat([self.lin("vt", tp), self.lin("vi", ip), ip, tp], 1)
        return self.lin("f2", self.lin("f1", fused, True)), tp, ip


def main(path):
    fx = unpack(path)
    cfg = fx["config"]
    s = cfg["sppScl"]
    model = Model(fx["weights"], fx["shapes"])
    decayed = [model.p[n.replace(".", "_")] for n in fx["weights"] if n in fx["decay"]]
    plain = [model.p[n.replace(".", "_")] for n in fx["weights"] if n not in fx["decay"]]
    opt = torch.optim.AdamW(
        [{"params": decayed, "weight_decay": cfg["weightDecay"]}, {"params": plain, "weight_decay": 0.0}],
        lr=cfg["lr"], betas=(cfg["adamBeta1"], cfg["adamBeta2"]), eps=cfg["adamEpsilon"],
    )
    stats = []
    for b, lr in zip(fx["batches"], fx["lrs"]):
        for g in opt.param_groups:
            g["lr"] = lr
        dt, di = b["dims"]["txt"], b["dims"]["img"]
        txt = torch.tensor(np.array(b["txt"], dtype=np.float32)).reshape(-1, dt)
        img = torch.tensor(np.array(b["img"], dtype=np.float32)).reshape(-1, di)
        y = torch.tensor(np.array(b["y"], dtype=np.int64))
        # Step 1: 5·CE + SupCon(text) + SupCon(image).
        opt.zero_grad(set_to_none=False)
        logits, tp, ip = model(txt, img)
        ce = F.cross_entropy(logits, y)
        lt, li = sup_con_intra(tp, y, s["temperature"]), sup_con_intra(ip, y, s["temperature"])
        l1 = s["ceWeight"] * ce + s["textWeight"] * lt + s["imageWeight"] * li
        l1.backward()
        opt.step()
        # Re-forward; the statement on sigmoids of raw dot products.
        _, tp2, ip2 = model(txt, img)
        sim = torch.sigmoid(tp2 @ ip2.T).detach()
        d = torch.diagonal(sim).mean()
        count = int((sim < d).sum())
        m = int((y[:, None] == y[None, :]).sum())
        st = {"loss": float(l1), "lx": float(ce), "sclText": float(lt), "sclImage": float(li)}
        if count >= math.floor(2 * m / 3):
            st["interStep"] = 0
        else:
            opt.zero_grad(set_to_none=False)
            l2 = s["interWeight"] * sup_con_inter(tp2, ip2, y, s["temperature"])
            l2.backward()
            opt.step()
            st.update({"interStep": 1, "sclInter": float(l2) / s["interWeight"], "loss": float(l1) + float(l2)})
        stats.append(st)
    print(json.dumps({"stats": stats, "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1])
