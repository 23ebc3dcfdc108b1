"""The model layer: Korean in, English out, a batch at a time.

    base           the Translator interface; model names (the alias table, resolving a name)
    cache          the translation cache (its table is summarize.state's)
    hub            fetching a model: the HF cache, the hub, a local folder
    tokenizers     each text encoded once; a Hugging Face tokenizer for the CTranslate2 path
    marian_spm     Marian's tokenizer with sentencepiece alone
    static_greedy  greedy decoding of a Marian model over a static KV cache (CUDA graphs on a GPU)
    batching       length-sorted batches within the model's limits, long texts split, the cache first
    checks         the vocabulary check and the canary, before any article is translated
    hf             the transformers backend
    ct2            the CTranslate2 backend and its conversion cache
    loading        choosing the backend (`load_translator`)

Each module imports only those above it in this list (and summarize.records, .errors, .options, .host);
base imports none of them. torch, transformers and ctranslate2 are imported in hf, ct2 and static_greedy
only, and only when a model is loaded.
"""
