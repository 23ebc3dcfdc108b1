"""Greedy decoding of a Marian model with a static KV cache, each step one CUDA-graph replay on a GPU."""

from __future__ import annotations

from collections import OrderedDict

from ..options import GenerationOptions

__all__ = ["StaticGreedy"]


class StaticGreedy:
    """Greedy decoding of a Marian model over the model's own layers, with a static KV cache.

    It gives the same tokens as `generate(num_beams=1)` (the min-new-tokens, bad-words and
    forced-EOS rules included) without `generate`'s per-step overhead; on CUDA every step is one
    CUDA-graph replay, captured once per batch shape. The encoder runs as usual, once per batch.
    """

    def __init__(self, model, generation: GenerationOptions):
        import torch  # the model is a torch model: torch is loaded

        self.torch = torch
        self.model = model
        self.decoder = model.model.decoder
        self.layers = list(self.decoder.layers)
        gc = model.generation_config
        eos = gc.eos_token_id if gc.eos_token_id is not None else model.config.eos_token_id
        self.eos = [eos] if isinstance(eos, int) else list(eos)
        self.pad = gc.pad_token_id if gc.pad_token_id is not None else model.config.pad_token_id
        self.start = model.config.decoder_start_token_id
        self.forced_eos = gc.forced_eos_token_id
        self.bad = sorted({ids[0] for ids in (gc.bad_words_ids or []) if len(ids) == 1})
        self.min_new = generation.min_new_tokens
        self.max_new = generation.max_new_tokens
        # one state (KV caches) and CUDA graph per batch shape; a run meets many shapes (length-sorted
        # batches), and each state holds GPU memory, so only the most recent few are kept
        self.graphs: OrderedDict = OrderedDict()
        self.keep = 4
        # and at most this many bytes of them beside the one in use: a quarter of the GPU's memory (a
        # shape's KV caches take about 4 GB for the base model at batch 1,024 and 256 new tokens)
        self.budget: int | None = None
        if torch.cuda.is_available() and next(model.parameters()).is_cuda:
            self.budget = torch.cuda.get_device_properties(next(model.parameters()).device).total_memory // 4

    @staticmethod
    def supports(model, generation: GenerationOptions) -> bool:
        gc = model.generation_config
        return (getattr(model.config, "model_type", "") == "marian" and generation.num_beams == 1
                and generation.repetition_penalty == 1.0 and generation.no_repeat_ngram_size == 0
                and all(len(ids) == 1 for ids in (gc.bad_words_ids or [])))

    def _state(self, batch: int, src_len: int, device, dtype):
        torch = self.torch
        cfg = self.model.config
        heads = cfg.decoder_attention_heads
        dh = cfg.d_model // heads
        steps = self.max_new
        z = dict(device=device, dtype=dtype)
        return dict(
            tok=torch.full((batch,), self.start, dtype=torch.long, device=device),
            t=torch.zeros((), dtype=torch.long, device=device),
            unfinished=torch.ones(batch, dtype=torch.bool, device=device),
            out=torch.full((batch, steps), self.pad, dtype=torch.long, device=device),
            self_k=[torch.zeros(batch, heads, steps, dh, **z) for _ in self.layers],
            self_v=[torch.zeros(batch, heads, steps, dh, **z) for _ in self.layers],
            enc_k=[torch.zeros(batch, heads, src_len, dh, **z) for _ in self.layers],
            enc_v=[torch.zeros(batch, heads, src_len, dh, **z) for _ in self.layers],
            enc_mask=torch.zeros(batch, 1, 1, src_len, dtype=torch.bool, device=device),
            positions=torch.arange(steps, device=device),
            eos=torch.tensor(self.eos, device=device),
            bad=torch.tensor(self.bad, dtype=torch.long, device=device),
        )

    def state_bytes(self, batch: int, src_len: int, dtype) -> int:
        """The bytes of the KV caches of one batch shape."""
        cfg = self.model.config
        size = self.torch.empty((), dtype=dtype).element_size()
        return 2 * len(self.layers) * batch * cfg.d_model * (self.max_new + src_len) * size

    def held(self) -> int:
        """The bytes of the KV caches kept now."""
        return sum(self.state_bytes(b, n, s["self_k"][0].dtype) for (b, n), (s, _) in self.graphs.items())

    def _step(self, s) -> None:
        """One decoding step on the static state: every shape fixed, no host round trip."""
        torch = self.torch
        F = torch.nn.functional
        dec = self.decoder
        t = s["t"]
        tok = s["tok"]
        batch = tok.shape[0]
        # index_select, not weight[t]: indexing with a tensor would read it back to the host
        h = dec.embed_tokens(tok[:, None]) * dec.embed_scale + dec.embed_positions.weight.index_select(0, t.view(1))
        self_mask = (s["positions"] <= t)[None, None, None, :]
        heads, dh = s["self_k"][0].shape[1], s["self_k"][0].shape[3]

        def split(x):
            return x.view(batch, 1, heads, dh).transpose(1, 2)

        for i, layer in enumerate(self.layers):
            att = layer.self_attn
            q = split(att.q_proj(h))
            s["self_k"][i].index_copy_(2, t.view(1), split(att.k_proj(h)))
            s["self_v"][i].index_copy_(2, t.view(1), split(att.v_proj(h)))
            a = F.scaled_dot_product_attention(q, s["self_k"][i], s["self_v"][i], attn_mask=self_mask,
                                               scale=att.scaling)
            h = layer.self_attn_layer_norm(h + att.out_proj(a.transpose(1, 2).reshape(batch, 1, -1)))
            cross = layer.encoder_attn
            q = split(cross.q_proj(h))
            a = F.scaled_dot_product_attention(q, s["enc_k"][i], s["enc_v"][i], attn_mask=s["enc_mask"],
                                               scale=cross.scaling)
            h = layer.encoder_attn_layer_norm(h + cross.out_proj(a.transpose(1, 2).reshape(batch, 1, -1)))
            h = layer.final_layer_norm(h + layer.fc2(layer.activation_fn(layer.fc1(h))))
        # In the model's dtype, as the model computes them: generate then copies them to float32, which
        # changes no value and so no argmax; at batch 1,024 that copy and the passes over it were a good
        # part of a step's memory traffic.
        logits = self.model.lm_head(h[:, 0]) + self.model.final_logits_bias
        neg = torch.finfo(logits.dtype).min
        # index tensors made ahead: a CUDA graph cannot copy a Python list to the device while capturing
        if self.min_new:
            logits[:, s["eos"]] = torch.where(t < self.min_new, neg, logits[:, s["eos"]])
        if self.bad:
            logits.index_fill_(1, s["bad"], neg)
        nxt = logits.argmax(-1)
        if self.forced_eos is not None:  # at the last step that token, whatever the logits say
            nxt = torch.where(t == self.max_new - 1, self.forced_eos, nxt)
        nxt = torch.where(s["unfinished"], nxt, self.pad)
        s["unfinished"] &= ~(nxt[:, None] == s["eos"][None, :]).any(-1)
        s["out"].index_copy_(1, t.view(1), nxt[:, None])
        tok.copy_(nxt)
        t.add_(1)

    def _reset(self, s) -> None:
        s["tok"].fill_(self.start)
        s["t"].zero_()
        s["unfinished"].fill_(True)
        s["out"].fill_(self.pad)

    def generate(self, input_ids, attention_mask):
        """Token ids [batch, steps] (decoder start token first, as generate returns them)."""
        torch = self.torch
        batch, src_len = input_ids.shape
        device = input_ids.device
        enc = self.model.model.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        key = (batch, src_len)
        if key not in self.graphs:
            need = self.state_bytes(batch, src_len, enc.dtype)
            while self.graphs and (len(self.graphs) >= self.keep or (
                    self.budget is not None and self.held() + need > self.budget)):
                self.graphs.popitem(last=False)  # its state and graph memory go back to the allocator
            self.graphs[key] = [self._state(batch, src_len, device, enc.dtype), None]
        self.graphs.move_to_end(key)
        s, graph = self.graphs[key]
        self._reset(s)
        heads = s["enc_k"][0].shape[1]
        for i, layer in enumerate(self.layers):
            att = layer.encoder_attn
            s["enc_k"][i].copy_(att.k_proj(enc).view(batch, src_len, heads, -1).transpose(1, 2))
            s["enc_v"][i].copy_(att.v_proj(enc).view(batch, src_len, heads, -1).transpose(1, 2))
        s["enc_mask"].copy_(attention_mask.bool()[:, None, None, :])
        use_graph = device.type == "cuda"
        if use_graph and graph is None:
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):  # warm-up outside the capture, as CUDA graphs require
                self._step(s)
            torch.cuda.current_stream().wait_stream(side)
            self._reset(s)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                self._step(s)
            self.graphs[key][1] = graph
            self._reset(s)
        done = 0
        for i in range(self.max_new):
            if use_graph:
                graph.replay()
            else:
                self._step(s)
            done = i + 1
            if (i % 8 == 7 or not use_graph) and not bool(s["unfinished"].any()):
                break
        start = torch.full((batch, 1), self.start, dtype=torch.long, device=device)
        return torch.cat([start, s["out"][:, :done]], dim=1)
