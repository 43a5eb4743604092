"""Architecture facts for the models the guide knows by name.

Each entry is one base model (or, where no base checkpoint was published, the released instruction-tuned
one), with the numbers the memory estimator and the config suggester need.  The shape fields are taken
from the model's ``config.json`` on the Hugging Face Hub (the URL is in the comment above each entry) and
were cross-checked against public mirrors of those files and against model cards' parameter counts.

Conventions:

* ``head_dim`` is the config's explicit ``head_dim`` where it has one, else hidden_size / heads.
* For mixture-of-experts models ``intermediate_size`` is the per-expert FFN width.
* ``params_b`` is computed from the shapes: embeddings (counted twice when untied), per layer
  q/k/v/o + 3 x hidden x intermediate per expert (+ router) + two norms.  Biases, QK-norm and extra
  norms are below 0.05 % and left out.  For multimodal Gemma 3 it is the text decoder only.
* ``attention_modules`` / ``mlp_modules`` are the ``nn.Linear`` names that PEFT's ``target_modules`` can
  match in transformers 5.23; MoE experts there are fused 3-D parameters, so MoE ``mlp_modules`` is
  empty.  ``min_modules`` is the smallest useful LoRA target set (query and value).  They equal the
  family record's (``families.py``, probed from transformers; ``tests/test_families.py`` checks both).
* ``chat_template`` is a value of Axolotl's ``ChatTemplate`` enum (``chatml`` where it has no match).
* ``license_gated`` is True when the Hub repo must be unlocked (licence or contact form) before download.
* ``size_class`` marks the single reference architecture for a size bucket, else None.
"""

from __future__ import annotations

MODELS: list[dict[str, object]] = [
    # https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json
    # Llama 2 7B base; 4k context, full multi-head attention (no GQA). Axolotl's ChatTemplate enum has no
    # Llama-2 [INST]/<<SYS>> entry, so chatml is used for fine-tuning.
    {
        "name": "llama-2-7b",
        "hf_id": "meta-llama/Llama-2-7b-hf",
        "aliases": [
            "meta-llama/Llama-2-7b",
            "meta-llama/Llama-2-7b-chat-hf",
            "NousResearch/Llama-2-7b-hf",
            "NousResearch/Llama-2-7b-chat-hf",
            "unsloth/llama-2-7b-bnb-4bit",
            "unsloth/llama-2-7b-chat-bnb-4bit",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 128,
        "intermediate_size": 11008,
        "vocab_size": 32000,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 6.74,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Llama-2-13b-hf/blob/main/config.json
    # Llama 2 13B base; full multi-head attention (no GQA). Axolotl's ChatTemplate enum has no Llama-2
    # [INST]/<<SYS>> entry, so chatml is used for fine-tuning.
    {
        "name": "llama-2-13b",
        "hf_id": "meta-llama/Llama-2-13b-hf",
        "aliases": [
            "meta-llama/Llama-2-13b",
            "meta-llama/Llama-2-13b-chat-hf",
            "NousResearch/Llama-2-13b-hf",
            "NousResearch/Llama-2-13b-chat-hf",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 40,
        "num_attention_heads": 40,
        "num_key_value_heads": 40,
        "head_dim": 128,
        "intermediate_size": 13824,
        "vocab_size": 32000,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 13.02,
        "chat_template": "chatml",
        "size_class": "13B",
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json
    # Llama 2 70B base; the only Llama 2 size with GQA (8 KV heads). Axolotl's ChatTemplate enum has no
    # Llama-2 [INST]/<<SYS>> entry, so chatml is used for fine-tuning.
    {
        "name": "llama-2-70b",
        "hf_id": "meta-llama/Llama-2-70b-hf",
        "aliases": [
            "meta-llama/Llama-2-70b",
            "meta-llama/Llama-2-70b-chat-hf",
            "NousResearch/Llama-2-70b-hf",
            "NousResearch/Llama-2-70b-chat-hf",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 8192,
        "num_hidden_layers": 80,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 28672,
        "vocab_size": 32000,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 68.98,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json
    # Llama 3 8B base: 128k-token vocabulary, 8k context.
    {
        "name": "llama-3-8b",
        "hf_id": "meta-llama/Meta-Llama-3-8B",
        "aliases": [
            "meta-llama/Meta-Llama-3-8B-Instruct",
            "NousResearch/Meta-Llama-3-8B",
            "NousResearch/Meta-Llama-3-8B-Instruct",
            "unsloth/llama-3-8b",
            "unsloth/llama-3-8b-Instruct",
            "unsloth/llama-3-8b-bnb-4bit",
            "unsloth/llama-3-8b-Instruct-bnb-4bit",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 128256,
        "tie_word_embeddings": False,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.03,
        "chat_template": "llama3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Meta-Llama-3-70B/blob/main/config.json
    # Llama 3 70B base, 8k context.
    {
        "name": "llama-3-70b",
        "hf_id": "meta-llama/Meta-Llama-3-70B",
        "aliases": [
            "meta-llama/Meta-Llama-3-70B-Instruct",
            "unsloth/llama-3-70b-bnb-4bit",
            "unsloth/llama-3-70b-Instruct-bnb-4bit",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 8192,
        "num_hidden_layers": 80,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 28672,
        "vocab_size": 128256,
        "tie_word_embeddings": False,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 70.55,
        "chat_template": "llama3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json
    # Llama 3.1 8B base: same shapes as Llama 3 8B, 128k context through llama3 RoPE scaling. The repo was
    # first published as meta-llama/Meta-Llama-3.1-8B and later renamed.
    {
        "name": "llama-3.1-8b",
        "hf_id": "meta-llama/Llama-3.1-8B",
        "aliases": [
            "meta-llama/Meta-Llama-3.1-8B",
            "meta-llama/Llama-3.1-8B-Instruct",
            "meta-llama/Meta-Llama-3.1-8B-Instruct",
            "unsloth/Meta-Llama-3.1-8B",
            "unsloth/Llama-3.1-8B",
            "unsloth/Meta-Llama-3.1-8B-Instruct",
            "unsloth/Llama-3.1-8B-Instruct",
            "unsloth/Meta-Llama-3.1-8B-bnb-4bit",
            "unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 128256,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.03,
        "chat_template": "llama3",
        "size_class": "8B",
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Llama-3.1-70B/blob/main/config.json
    # Llama 3.1 70B base: same shapes as Llama 3 70B, 128k context.
    {
        "name": "llama-3.1-70b",
        "hf_id": "meta-llama/Llama-3.1-70B",
        "aliases": [
            "meta-llama/Meta-Llama-3.1-70B",
            "meta-llama/Llama-3.1-70B-Instruct",
            "meta-llama/Meta-Llama-3.1-70B-Instruct",
            "unsloth/Meta-Llama-3.1-70B-bnb-4bit",
            "unsloth/Meta-Llama-3.1-70B-Instruct-bnb-4bit",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 8192,
        "num_hidden_layers": 80,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 28672,
        "vocab_size": 128256,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 70.55,
        "chat_template": "llama3",
        "size_class": "70B",
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Llama-3.1-405B/blob/main/config.json
    # Llama 3.1 405B base: 126 layers, hidden 16384, 128 query / 8 KV heads, 128k context through llama3 RoPE
    # scaling. Its config.json is not among the stored copies: the shapes come from several stored third-party
    # copies of its fields, which agree, and match the model card's 405B.
    {
        "name": "llama-3.1-405b",
        "hf_id": "meta-llama/Llama-3.1-405B",
        "aliases": [
            "meta-llama/Meta-Llama-3.1-405B",
            "meta-llama/Llama-3.1-405B-Instruct",
            "meta-llama/Meta-Llama-3.1-405B-Instruct",
            "unsloth/Meta-Llama-3.1-405B-Instruct-bnb-4bit",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 16384,
        "num_hidden_layers": 126,
        "num_attention_heads": 128,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 53248,
        "vocab_size": 128256,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 405.85,
        "chat_template": "llama3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Llama-3.2-1B/blob/main/config.json
    # Llama 3.2 1B base: ties input and output embeddings; config sets head_dim 64 explicitly.
    {
        "name": "llama-3.2-1b",
        "hf_id": "meta-llama/Llama-3.2-1B",
        "aliases": [
            "meta-llama/Llama-3.2-1B-Instruct",
            "unsloth/Llama-3.2-1B",
            "unsloth/Llama-3.2-1B-Instruct",
            "unsloth/Llama-3.2-1B-bnb-4bit",
            "unsloth/Llama-3.2-1B-Instruct-bnb-4bit",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 16,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 64,
        "intermediate_size": 8192,
        "vocab_size": 128256,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.24,
        "chat_template": "llama3",
        "size_class": "1B",
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Llama-3.2-3B/blob/main/config.json
    # Llama 3.2 3B base: ties embeddings; head_dim 128 (3072 / 24).
    {
        "name": "llama-3.2-3b",
        "hf_id": "meta-llama/Llama-3.2-3B",
        "aliases": [
            "meta-llama/Llama-3.2-3B-Instruct",
            "unsloth/Llama-3.2-3B",
            "unsloth/Llama-3.2-3B-Instruct",
            "unsloth/Llama-3.2-3B-bnb-4bit",
            "unsloth/Llama-3.2-3B-Instruct-bnb-4bit",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 24,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 8192,
        "vocab_size": 128256,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 3.21,
        "chat_template": "llama3",
        "size_class": "3B",
        "license_gated": True,
    },
    # https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/blob/main/config.json
    # Llama 3.3 70B: only an instruction-tuned checkpoint was released; same shapes as Llama 3.1 70B.
    {
        "name": "llama-3.3-70b",
        "hf_id": "meta-llama/Llama-3.3-70B-Instruct",
        "aliases": ["unsloth/Llama-3.3-70B-Instruct", "unsloth/Llama-3.3-70B-Instruct-bnb-4bit"],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 8192,
        "num_hidden_layers": 80,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 28672,
        "vocab_size": 128256,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 70.55,
        "chat_template": "llama3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/mistralai/Mistral-7B-v0.1/blob/main/config.json
    # Mistral 7B v0.1 base: 32k-token vocabulary, 4096-token sliding window in the config.
    # Mistral-7B-Instruct-v0.2 has the same shapes and tokenizer (rope_theta 1e6, no sliding window).
    # mistralai repos are gated behind a contact-information form, hence license_gated.
    {
        "name": "mistral-7b-v0.1",
        "hf_id": "mistralai/Mistral-7B-v0.1",
        "aliases": [
            "mistralai/Mistral-7B-Instruct-v0.1",
            "mistralai/Mistral-7B-Instruct-v0.2",
            "unsloth/mistral-7b",
            "unsloth/mistral-7b-bnb-4bit",
            "unsloth/mistral-7b-instruct-v0.2-bnb-4bit",
        ],
        "model_type": "mistral",
        "architecture": "MistralForCausalLM",
        "decoder_layer": "MistralDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 32000,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 7.24,
        "chat_template": "mistral_v1",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/mistralai/Mistral-7B-v0.3/blob/main/config.json
    # Mistral 7B v0.3 base: vocabulary extended to 32768 (v3 tokenizer), no sliding window. mistralai repos
    # are gated behind a contact-information form, hence license_gated.
    {
        "name": "mistral-7b-v0.3",
        "hf_id": "mistralai/Mistral-7B-v0.3",
        "aliases": [
            "mistralai/Mistral-7B-Instruct-v0.3",
            "unsloth/mistral-7b-v0.3",
            "unsloth/mistral-7b-instruct-v0.3",
            "unsloth/mistral-7b-v0.3-bnb-4bit",
            "unsloth/mistral-7b-instruct-v0.3-bnb-4bit",
        ],
        "model_type": "mistral",
        "architecture": "MistralForCausalLM",
        "decoder_layer": "MistralDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 32768,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 7.25,
        "chat_template": "mistral_v2v3",
        "size_class": "7B",
        "license_gated": True,
    },
    # https://huggingface.co/mistralai/Mistral-Nemo-Base-2407/blob/main/config.json
    # Mistral NeMo 12B base (2407): explicit head_dim 128 although 5120 / 32 = 160; Tekken tokenizer with a
    # 131072-token vocabulary. mistralai repos are gated behind a contact-information form, hence
    # license_gated.
    {
        "name": "mistral-nemo-12b",
        "hf_id": "mistralai/Mistral-Nemo-Base-2407",
        "aliases": [
            "mistralai/Mistral-Nemo-Instruct-2407",
            "unsloth/Mistral-Nemo-Base-2407",
            "unsloth/Mistral-Nemo-Instruct-2407",
            "unsloth/Mistral-Nemo-Base-2407-bnb-4bit",
            "unsloth/Mistral-Nemo-Instruct-2407-bnb-4bit",
        ],
        "model_type": "mistral",
        "architecture": "MistralForCausalLM",
        "decoder_layer": "MistralDecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 40,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 131072,
        "tie_word_embeddings": False,
        "max_position_embeddings": 1024000,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 12.25,
        "chat_template": "mistral_v3_tekken",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/mistralai/Ministral-8B-Instruct-2410/blob/main/config.json
    # Ministral 8B Instruct (2410; no base checkpoint was published): 36 layers, 32 query / 8 KV heads of 128,
    # SwiGLU 12288, 131072-token Tekken vocabulary, untied head, no biases, RoPE theta 1e8, sliding window
    # 32768 on three layers in four (the card's "ragged (128k, 32k, 32k, 32k)" pattern), max_position_embeddings
    # 32768 in config.json (the card says 128k context). Read from a stored third-party copy of its config.json
    # (a benchmark's ministral8b_config: MistralForCausalLM, model_type mistral, transformers 4.46.0.dev0); the
    # card's 8,019,808,256 parameters equal these shapes with an untied head. transformers 5.23's integration
    # test loads the hub repo through AutoModelForCausalLM as MinistralForCausalLM, which AutoConfig does for a
    # mistral config.json with layer_types, so the class that loads is Ministral's (read_config mirrors that).
    # Mistral Research License, gated behind a contact form.
    {
        "name": "ministral-8b",
        "hf_id": "mistralai/Ministral-8B-Instruct-2410",
        "aliases": [],
        "model_type": "ministral",
        "architecture": "MinistralForCausalLM",
        "decoder_layer": "MinistralDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 36,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 12288,
        "vocab_size": 131072,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.02,
        "chat_template": "mistral_v3_tekken",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/mistralai/Ministral-3-3B-Base-2512/blob/main/config.json
    # Ministral 3 3B (2512; Base, Instruct, Reasoning): released as Mistral3ForConditionalGeneration (model_type
    # mistral3, a 0.4B Pixtral vision tower), the text model (ministral3) in text_config, which these fields are:
    # 26 layers, hidden 3072, 32 query / 8 KV heads of 128 (q_proj 3072 -> 4096), SwiGLU 9216, 131072-token Tekken
    # vocabulary, tied head, no biases, YaRN RoPE (theta 1e6, factor 16 over 16384) to 262144 positions, Llama 4's
    # query temperature (llama_4_scaling_beta 0.1), no sliding window. No verbatim stored copy of its config.json
    # was found; the shapes come from Megatron-Bridge's Ministral 3 provider (its 3B config: 26 layers, 3072, FFN
    # 9216, tied output; 32 / 8 heads of 128, YaRN theta 1e6 x16 from 16384 as the family default) and agree with a
    # stored GGUF loader test of its text config (3072 / 26 / 9216 / 32 / 8 / 131072), a stored benchmark's
    # config signature and the card's 3.4B language model (these shapes tied: 3.43B; untied they would be 3.83B).
    # transformers 5.23's AutoModelForCausalLM refuses the release's mistral3 config, so the PEFT script loads it
    # with AutoModelForImageTextToText (family record, image_text_release); params_b is the text model only. The
    # Instruct repo's weights are FP8 (-Instruct-2512-BF16 holds bf16 ones); Base and Reasoning are bf16.
    # Apache-2.0, not gated.
    {
        "name": "ministral-3-3b",
        "hf_id": "mistralai/Ministral-3-3B-Base-2512",
        "aliases": [
            "mistralai/Ministral-3-3B-Instruct-2512",
            "mistralai/Ministral-3-3B-Instruct-2512-BF16",
            "mistralai/Ministral-3-3B-Reasoning-2512",
            "unsloth/Ministral-3-3B-Base-2512-unsloth-bnb-4bit",
            "unsloth/Ministral-3-3B-Instruct-2512-unsloth-bnb-4bit",
            "unsloth/Ministral-3-3B-Reasoning-2512-unsloth-bnb-4bit",
        ],
        "model_type": "ministral3",
        "architecture": "Ministral3ForCausalLM",
        "decoder_layer": "Ministral3DecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 26,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 9216,
        "vocab_size": 131072,
        "tie_word_embeddings": True,
        "max_position_embeddings": 262144,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 3.43,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/mistralai/Ministral-3-8B-Base-2512/blob/main/config.json
    # Ministral 3 8B (2512): released as Mistral3ForConditionalGeneration like the 3B; its text model has 34 layers,
    # hidden 4096, 32 query / 8 KV heads of 128, SwiGLU 14336, 131072-token vocabulary, untied head, no biases, YaRN
    # RoPE (theta 1e6, factor 16 over 16384) to 262144 positions, llama_4_scaling_beta 0.1, no sliding window. No
    # verbatim stored copy of its config.json was found; the shapes are Megatron-Bridge's Ministral 3 8B provider's
    # (34 layers, 4096, FFN 14336, untied; 32 / 8 heads of 128, the YaRN settings) and transformers 5.23's
    # Ministral3Config defaults, which its docstring says yield Ministral-3-8B-Base / -Instruct / -Reasoning-2512
    # (the same shapes, untied, the same RoPE parameters, 262144 positions); they give the card's 8.4B language model
    # (8.49B; tied it would be 7.95B). Loading, FP8 Instruct weights, license: as the 3B.
    {
        "name": "ministral-3-8b",
        "hf_id": "mistralai/Ministral-3-8B-Base-2512",
        "aliases": [
            "mistralai/Ministral-3-8B-Instruct-2512",
            "mistralai/Ministral-3-8B-Instruct-2512-BF16",
            "mistralai/Ministral-3-8B-Reasoning-2512",
            "unsloth/Ministral-3-8B-Base-2512-unsloth-bnb-4bit",
            "unsloth/Ministral-3-8B-Instruct-2512-unsloth-bnb-4bit",
            "unsloth/Ministral-3-8B-Reasoning-2512-unsloth-bnb-4bit",
        ],
        "model_type": "ministral3",
        "architecture": "Ministral3ForCausalLM",
        "decoder_layer": "Ministral3DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 34,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 131072,
        "tie_word_embeddings": False,
        "max_position_embeddings": 262144,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.49,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/mistralai/Ministral-3-14B-Base-2512/blob/main/config.json
    # Ministral 3 14B (2512): released as Mistral3ForConditionalGeneration like the 3B; its text model has 40 layers,
    # hidden 5120, 32 query / 8 KV heads of 128 (q_proj 5120 -> 4096), SwiGLU 16384, 131072-token vocabulary, untied
    # head, no biases, YaRN RoPE (theta 1e9, factor 16 over 16384) to 262144 positions, llama_4_scaling_beta 0.1
    # (the family's), no sliding window. No verbatim stored copy of its config.json was found; the shapes agree in
    # three stored third-party copies: a fine-tuning tool's table of the -Instruct-2512-BF16 and -Reasoning-2512
    # config.json (these shapes, untied, 13,506,073,600 text parameters: exactly what they give), a dataset repo's
    # facts read from the Base config.json (the shapes, 262144 positions, YaRN factor 16 over 16384, theta 1e9) and
    # Megatron-Bridge's 14B provider (40 layers, 5120, FFN 16384, rotary base 1e9). Loading, FP8 Instruct weights,
    # license: as the 3B.
    {
        "name": "ministral-3-14b",
        "hf_id": "mistralai/Ministral-3-14B-Base-2512",
        "aliases": [
            "mistralai/Ministral-3-14B-Instruct-2512",
            "mistralai/Ministral-3-14B-Instruct-2512-BF16",
            "mistralai/Ministral-3-14B-Reasoning-2512",
            "unsloth/Ministral-3-14B-Base-2512-unsloth-bnb-4bit",
            "unsloth/Ministral-3-14B-Instruct-2512-unsloth-bnb-4bit",
            "unsloth/Ministral-3-14B-Reasoning-2512-unsloth-bnb-4bit",
        ],
        "model_type": "ministral3",
        "architecture": "Ministral3ForCausalLM",
        "decoder_layer": "Ministral3DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 40,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 16384,
        "vocab_size": 131072,
        "tie_word_embeddings": False,
        "max_position_embeddings": 262144,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 13.51,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json
    # Mixtral 8x7B base: 8 experts (num_local_experts in the config), 2 routed per token; no shared experts,
    # every layer sparse. In transformers 5.x MixtralSparseMoeBlock holds `gate` (MixtralTopKRouter, a bare
    # nn.Parameter) and `experts` (MixtralExperts, fused 3-D parameters gate_up_proj and down_proj). Neither
    # is an nn.Linear, so mlp_modules is empty: PEFT can only reach the experts through target_parameters.
    # mistralai repos are gated behind a contact-information form, hence license_gated.
    {
        "name": "mixtral-8x7b-v0.1",
        "hf_id": "mistralai/Mixtral-8x7B-v0.1",
        "aliases": ["mistralai/Mixtral-8x7B-Instruct-v0.1"],
        "model_type": "mixtral",
        "architecture": "MixtralForCausalLM",
        "decoder_layer": "MixtralDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 32000,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": 8,
        "num_experts_per_tok": 2,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 46.7,
        "chat_template": "mistral_v1",
        "size_class": "8x7B",
        "license_gated": True,
    },
    # https://huggingface.co/Qwen/Qwen2.5-0.5B/blob/main/config.json
    # Qwen2.5 0.5B base: ties embeddings; q/k/v projections carry biases (o_proj does not).
    {
        "name": "qwen2.5-0.5b",
        "hf_id": "Qwen/Qwen2.5-0.5B",
        "aliases": [
            "Qwen/Qwen2.5-0.5B-Instruct",
            "unsloth/Qwen2.5-0.5B",
            "unsloth/Qwen2.5-0.5B-Instruct",
            "unsloth/Qwen2.5-0.5B-bnb-4bit",
            "unsloth/Qwen2.5-0.5B-Instruct-bnb-4bit",
            "Qwen/Qwen2.5-Coder-0.5B",
            "Qwen/Qwen2.5-Coder-0.5B-Instruct",
        ],
        "model_type": "qwen2",
        "architecture": "Qwen2ForCausalLM",
        "decoder_layer": "Qwen2DecoderLayer",
        "hidden_size": 896,
        "num_hidden_layers": 24,
        "num_attention_heads": 14,
        "num_key_value_heads": 2,
        "head_dim": 64,
        "intermediate_size": 4864,
        "vocab_size": 151936,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 0.494,
        "chat_template": "qwen_25",
        "size_class": "0.5B",
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen2.5-1.5B/blob/main/config.json
    # Qwen2.5 1.5B base: ties embeddings; q/k/v projections carry biases (o_proj does not). The -Instruct
    # config lists max_position_embeddings 32768.
    {
        "name": "qwen2.5-1.5b",
        "hf_id": "Qwen/Qwen2.5-1.5B",
        "aliases": [
            "Qwen/Qwen2.5-1.5B-Instruct",
            "unsloth/Qwen2.5-1.5B",
            "unsloth/Qwen2.5-1.5B-Instruct",
            "unsloth/Qwen2.5-1.5B-bnb-4bit",
            "unsloth/Qwen2.5-1.5B-Instruct-bnb-4bit",
            "Qwen/Qwen2.5-Coder-1.5B",
            "Qwen/Qwen2.5-Coder-1.5B-Instruct",
        ],
        "model_type": "qwen2",
        "architecture": "Qwen2ForCausalLM",
        "decoder_layer": "Qwen2DecoderLayer",
        "hidden_size": 1536,
        "num_hidden_layers": 28,
        "num_attention_heads": 12,
        "num_key_value_heads": 2,
        "head_dim": 128,
        "intermediate_size": 8960,
        "vocab_size": 151936,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.54,
        "chat_template": "qwen_25",
        "size_class": "1.5B",
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen2.5-3B/blob/main/config.json
    # Qwen2.5 3B base: ties embeddings; q/k/v projections carry biases (o_proj does not).
    {
        "name": "qwen2.5-3b",
        "hf_id": "Qwen/Qwen2.5-3B",
        "aliases": [
            "Qwen/Qwen2.5-3B-Instruct",
            "unsloth/Qwen2.5-3B",
            "unsloth/Qwen2.5-3B-Instruct",
            "unsloth/Qwen2.5-3B-bnb-4bit",
            "unsloth/Qwen2.5-3B-Instruct-bnb-4bit",
            "Qwen/Qwen2.5-Coder-3B",
            "Qwen/Qwen2.5-Coder-3B-Instruct",
        ],
        "model_type": "qwen2",
        "architecture": "Qwen2ForCausalLM",
        "decoder_layer": "Qwen2DecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 36,
        "num_attention_heads": 16,
        "num_key_value_heads": 2,
        "head_dim": 128,
        "intermediate_size": 11008,
        "vocab_size": 151936,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 3.09,
        "chat_template": "qwen_25",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen2.5-7B/blob/main/config.json
    # Qwen2.5 7B base: untied embeddings, padded vocabulary 152064; q/k/v projections carry biases (o_proj
    # does not). The -Instruct config lists max_position_embeddings 32768.
    {
        "name": "qwen2.5-7b",
        "hf_id": "Qwen/Qwen2.5-7B",
        "aliases": [
            "Qwen/Qwen2.5-7B-Instruct",
            "unsloth/Qwen2.5-7B",
            "unsloth/Qwen2.5-7B-Instruct",
            "unsloth/Qwen2.5-7B-bnb-4bit",
            "unsloth/Qwen2.5-7B-Instruct-bnb-4bit",
            "Qwen/Qwen2.5-Coder-7B",
            "Qwen/Qwen2.5-Coder-7B-Instruct",
        ],
        "model_type": "qwen2",
        "architecture": "Qwen2ForCausalLM",
        "decoder_layer": "Qwen2DecoderLayer",
        "hidden_size": 3584,
        "num_hidden_layers": 28,
        "num_attention_heads": 28,
        "num_key_value_heads": 4,
        "head_dim": 128,
        "intermediate_size": 18944,
        "vocab_size": 152064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 7.62,
        "chat_template": "qwen_25",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen2.5-14B/blob/main/config.json
    # Qwen2.5 14B base: untied embeddings; q/k/v projections carry biases (o_proj does not). The -Instruct
    # config lists max_position_embeddings 32768.
    {
        "name": "qwen2.5-14b",
        "hf_id": "Qwen/Qwen2.5-14B",
        "aliases": [
            "Qwen/Qwen2.5-14B-Instruct",
            "unsloth/Qwen2.5-14B",
            "unsloth/Qwen2.5-14B-Instruct",
            "unsloth/Qwen2.5-14B-bnb-4bit",
            "unsloth/Qwen2.5-14B-Instruct-bnb-4bit",
            "Qwen/Qwen2.5-Coder-14B",
            "Qwen/Qwen2.5-Coder-14B-Instruct",
        ],
        "model_type": "qwen2",
        "architecture": "Qwen2ForCausalLM",
        "decoder_layer": "Qwen2DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 48,
        "num_attention_heads": 40,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 13824,
        "vocab_size": 152064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 14.77,
        "chat_template": "qwen_25",
        "size_class": "14B",
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen2.5-32B/blob/main/config.json
    # Qwen2.5 32B base: untied embeddings; q/k/v projections carry biases (o_proj does not). The -Instruct
    # config lists max_position_embeddings 32768.
    {
        "name": "qwen2.5-32b",
        "hf_id": "Qwen/Qwen2.5-32B",
        "aliases": [
            "Qwen/Qwen2.5-32B-Instruct",
            "unsloth/Qwen2.5-32B",
            "unsloth/Qwen2.5-32B-Instruct",
            "unsloth/Qwen2.5-32B-bnb-4bit",
            "unsloth/Qwen2.5-32B-Instruct-bnb-4bit",
            "Qwen/Qwen2.5-Coder-32B",
            "Qwen/Qwen2.5-Coder-32B-Instruct",
        ],
        "model_type": "qwen2",
        "architecture": "Qwen2ForCausalLM",
        "decoder_layer": "Qwen2DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 64,
        "num_attention_heads": 40,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 27648,
        "vocab_size": 152064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 32.76,
        "chat_template": "qwen_25",
        "size_class": "32B",
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen2.5-72B/blob/main/config.json
    # Qwen2.5 72B base: untied embeddings; q/k/v projections carry biases (o_proj does not). The -Instruct
    # config lists max_position_embeddings 32768.
    {
        "name": "qwen2.5-72b",
        "hf_id": "Qwen/Qwen2.5-72B",
        "aliases": [
            "Qwen/Qwen2.5-72B-Instruct",
            "unsloth/Qwen2.5-72B",
            "unsloth/Qwen2.5-72B-Instruct",
            "unsloth/Qwen2.5-72B-bnb-4bit",
            "unsloth/Qwen2.5-72B-Instruct-bnb-4bit",
        ],
        "model_type": "qwen2",
        "architecture": "Qwen2ForCausalLM",
        "decoder_layer": "Qwen2DecoderLayer",
        "hidden_size": 8192,
        "num_hidden_layers": 80,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 29568,
        "vocab_size": 152064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 72.71,
        "chat_template": "qwen_25",
        "size_class": "72B",
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen3-0.6B-Base/blob/main/config.json
    # Qwen3 0.6B base: ties embeddings. The -Base config lists max_position_embeddings 32768; the post-trained
    # Qwen/Qwen3-0.6B lists 40960. QK-norm, no q/k/v bias; head_dim 128 is explicit.
    {
        "name": "qwen3-0.6b",
        "hf_id": "Qwen/Qwen3-0.6B-Base",
        "aliases": [
            "Qwen/Qwen3-0.6B",
            "unsloth/Qwen3-0.6B",
            "unsloth/Qwen3-0.6B-Base",
            "unsloth/Qwen3-0.6B-bnb-4bit",
            "unsloth/Qwen3-0.6B-unsloth-bnb-4bit",
        ],
        "model_type": "qwen3",
        "architecture": "Qwen3ForCausalLM",
        "decoder_layer": "Qwen3DecoderLayer",
        "hidden_size": 1024,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 3072,
        "vocab_size": 151936,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 0.596,
        "chat_template": "qwen3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen3-1.7B-Base/blob/main/config.json
    # Qwen3 1.7B base: ties embeddings. The -Base config lists max_position_embeddings 32768; the post-trained
    # Qwen/Qwen3-1.7B lists 40960. QK-norm, no q/k/v bias; head_dim 128 is explicit.
    {
        "name": "qwen3-1.7b",
        "hf_id": "Qwen/Qwen3-1.7B-Base",
        "aliases": [
            "Qwen/Qwen3-1.7B",
            "unsloth/Qwen3-1.7B",
            "unsloth/Qwen3-1.7B-Base",
            "unsloth/Qwen3-1.7B-bnb-4bit",
            "unsloth/Qwen3-1.7B-unsloth-bnb-4bit",
        ],
        "model_type": "qwen3",
        "architecture": "Qwen3ForCausalLM",
        "decoder_layer": "Qwen3DecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 6144,
        "vocab_size": 151936,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.72,
        "chat_template": "qwen3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen3-4B-Base/blob/main/config.json
    # Qwen3 4B base: ties embeddings. The 2507 Instruct/Thinking releases keep these shapes (their configs
    # list a 262144-token context). The -Base config lists max_position_embeddings 32768; the post-trained
    # Qwen/Qwen3-4B lists 40960. QK-norm, no q/k/v bias; head_dim 128 is explicit.
    {
        "name": "qwen3-4b",
        "hf_id": "Qwen/Qwen3-4B-Base",
        "aliases": [
            "Qwen/Qwen3-4B",
            "Qwen/Qwen3-4B-Instruct-2507",
            "Qwen/Qwen3-4B-Thinking-2507",
            "unsloth/Qwen3-4B-Instruct-2507",
            "unsloth/Qwen3-4B",
            "unsloth/Qwen3-4B-Base",
            "unsloth/Qwen3-4B-bnb-4bit",
            "unsloth/Qwen3-4B-unsloth-bnb-4bit",
        ],
        "model_type": "qwen3",
        "architecture": "Qwen3ForCausalLM",
        "decoder_layer": "Qwen3DecoderLayer",
        "hidden_size": 2560,
        "num_hidden_layers": 36,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 9728,
        "vocab_size": 151936,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 4.02,
        "chat_template": "qwen3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen3-8B-Base/blob/main/config.json
    # Qwen3 8B base: untied embeddings. The -Base config lists max_position_embeddings 32768; the post-trained
    # Qwen/Qwen3-8B lists 40960. QK-norm, no q/k/v bias; head_dim 128 is explicit.
    {
        "name": "qwen3-8b",
        "hf_id": "Qwen/Qwen3-8B-Base",
        "aliases": [
            "Qwen/Qwen3-8B",
            "unsloth/Qwen3-8B",
            "unsloth/Qwen3-8B-Base",
            "unsloth/Qwen3-8B-bnb-4bit",
            "unsloth/Qwen3-8B-unsloth-bnb-4bit",
        ],
        "model_type": "qwen3",
        "architecture": "Qwen3ForCausalLM",
        "decoder_layer": "Qwen3DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 36,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 12288,
        "vocab_size": 151936,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.19,
        "chat_template": "qwen3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen3-14B-Base/blob/main/config.json
    # Qwen3 14B base: untied embeddings. The -Base config lists max_position_embeddings 32768; the
    # post-trained Qwen/Qwen3-14B lists 40960. QK-norm, no q/k/v bias; head_dim 128 is explicit.
    {
        "name": "qwen3-14b",
        "hf_id": "Qwen/Qwen3-14B-Base",
        "aliases": [
            "Qwen/Qwen3-14B",
            "unsloth/Qwen3-14B",
            "unsloth/Qwen3-14B-Base",
            "unsloth/Qwen3-14B-bnb-4bit",
            "unsloth/Qwen3-14B-unsloth-bnb-4bit",
        ],
        "model_type": "qwen3",
        "architecture": "Qwen3ForCausalLM",
        "decoder_layer": "Qwen3DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 40,
        "num_attention_heads": 40,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 17408,
        "vocab_size": 151936,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 14.77,
        "chat_template": "qwen3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen3-32B/blob/main/config.json
    # Qwen3 32B: no -Base checkpoint was published, so the post-trained (hybrid thinking) model is the
    # reference. 64 query heads x 128 = 8192, wider than hidden_size 5120. Untied embeddings.
    {
        "name": "qwen3-32b",
        "hf_id": "Qwen/Qwen3-32B",
        "aliases": ["unsloth/Qwen3-32B", "unsloth/Qwen3-32B-bnb-4bit", "unsloth/Qwen3-32B-unsloth-bnb-4bit"],
        "model_type": "qwen3",
        "architecture": "Qwen3ForCausalLM",
        "decoder_layer": "Qwen3DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 64,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 25600,
        "vocab_size": 151936,
        "tie_word_embeddings": False,
        "max_position_embeddings": 40960,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 32.76,
        "chat_template": "qwen3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen3-30B-A3B-Base/blob/main/config.json
    # Qwen3 30B-A3B base (MoE): 128 experts, 8 routed per token, no shared experts and no dense layers
    # (mlp_only_layers is empty, decoder_sparse_step 1). intermediate_size holds moe_intermediate_size 768
    # (the config's dense intermediate_size 6144 is unused). As for Mixtral, transformers 5.x stores the
    # experts as fused 3-D parameters and the router as a bare parameter, so no MLP nn.Linear exists for
    # target_modules. Post-trained configs list a 40960-token context.
    {
        "name": "qwen3-30b-a3b",
        "hf_id": "Qwen/Qwen3-30B-A3B-Base",
        "aliases": [
            "Qwen/Qwen3-30B-A3B",
            "Qwen/Qwen3-30B-A3B-Instruct-2507",
            "Qwen/Qwen3-30B-A3B-Thinking-2507",
            "unsloth/Qwen3-30B-A3B",
            "unsloth/Qwen3-30B-A3B-Base",
        ],
        "model_type": "qwen3_moe",
        "architecture": "Qwen3MoeForCausalLM",
        "decoder_layer": "Qwen3MoeDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 48,
        "num_attention_heads": 32,
        "num_key_value_heads": 4,
        "head_dim": 128,
        "intermediate_size": 768,
        "vocab_size": 151936,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": 128,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 30.53,
        "chat_template": "qwen3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/google/gemma-2b/blob/main/config.json
    # Gemma 2B base (Gemma 1): 18 layers, 8 query heads and one KV head (multi-query) of 256, GeGLU 16384,
    # 256000-token vocabulary, tied embeddings (GemmaConfig's default; config.json does not say), no biases,
    # 8192 positions, RoPE theta 1e4, hidden_act gelu (read by transformers as gelu_pytorch_tanh). Read from a
    # stored third-party copy of its config.json fields (Megatron-Bridge's Gemma bridge test fixture). Google's
    # Gemma repos are gated behind the Gemma licence, hence license_gated.
    {
        "name": "gemma-2b",
        "hf_id": "google/gemma-2b",
        "aliases": [],
        "model_type": "gemma",
        "architecture": "GemmaForCausalLM",
        "decoder_layer": "GemmaDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 18,
        "num_attention_heads": 8,
        "num_key_value_heads": 1,
        "head_dim": 256,
        "intermediate_size": 16384,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 2.51,
        "chat_template": "gemma",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-2b-it/blob/main/config.json
    # Gemma 2B instruction-tuned: Gemma 2B's shapes (entry above); its own repo, gated likewise.
    {
        "name": "gemma-2b-it",
        "hf_id": "google/gemma-2b-it",
        "aliases": [],
        "model_type": "gemma",
        "architecture": "GemmaForCausalLM",
        "decoder_layer": "GemmaDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 18,
        "num_attention_heads": 8,
        "num_key_value_heads": 1,
        "head_dim": 256,
        "intermediate_size": 16384,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 2.51,
        "chat_template": "gemma",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-7b/blob/main/config.json
    # Gemma 7B base (Gemma 1): 28 layers, 16 query / 16 KV heads of 256 (head_dim 256, not 3072 / 16 = 192),
    # GeGLU 24576, 256000-token vocabulary, tied embeddings, no biases, 8192 positions, RoPE theta 1e4,
    # hidden_act gelu (read as gelu_pytorch_tanh); 8.54B parameters with the 0.79B embedding. Read from a stored
    # third-party copy of its config.json fields (Megatron-Bridge's Gemma bridge test fixture). Gated (Gemma
    # licence).
    {
        "name": "gemma-7b",
        "hf_id": "google/gemma-7b",
        "aliases": [],
        "model_type": "gemma",
        "architecture": "GemmaForCausalLM",
        "decoder_layer": "GemmaDecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "head_dim": 256,
        "intermediate_size": 24576,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.54,
        "chat_template": "gemma",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-7b-it/blob/main/config.json
    # Gemma 7B instruction-tuned: Gemma 7B's shapes (entry above); its own repo, gated likewise.
    {
        "name": "gemma-7b-it",
        "hf_id": "google/gemma-7b-it",
        "aliases": [],
        "model_type": "gemma",
        "architecture": "GemmaForCausalLM",
        "decoder_layer": "GemmaDecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "head_dim": 256,
        "intermediate_size": 24576,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.54,
        "chat_template": "gemma",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/codegemma-7b/blob/main/config.json
    # CodeGemma 7B (code pretraining continued from Gemma 7B): GemmaForCausalLM with Gemma 7B's shapes (28 layers,
    # 16 / 16 heads of 256, GeGLU 24576, 256000 tokens, tied, 8192 positions), per its model card; no stored copy
    # of this repo's config.json was found, so the shapes are Gemma 7B's, unchecked here. Gated (Gemma licence).
    {
        "name": "codegemma-7b",
        "hf_id": "google/codegemma-7b",
        "aliases": [],
        "model_type": "gemma",
        "architecture": "GemmaForCausalLM",
        "decoder_layer": "GemmaDecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "head_dim": 256,
        "intermediate_size": 24576,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.54,
        "chat_template": "gemma",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/codegemma-7b-it/blob/main/config.json
    # CodeGemma 7B instruction-tuned: CodeGemma 7B's shapes (entry above); its own repo, gated likewise.
    {
        "name": "codegemma-7b-it",
        "hf_id": "google/codegemma-7b-it",
        "aliases": [],
        "model_type": "gemma",
        "architecture": "GemmaForCausalLM",
        "decoder_layer": "GemmaDecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "head_dim": 256,
        "intermediate_size": 24576,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.54,
        "chat_template": "gemma",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-2-2b/blob/main/config.json
    # Gemma 2 2B base: head_dim 256 (not 2304 / 8). Final logits soft-capped at 30.0 (attention logits at
    # 50.0); 256000-token vocabulary, tied embeddings.
    {
        "name": "gemma-2-2b",
        "hf_id": "google/gemma-2-2b",
        "aliases": [
            "google/gemma-2-2b-it",
            "unsloth/gemma-2-2b",
            "unsloth/gemma-2-2b-it",
            "unsloth/gemma-2-2b-bnb-4bit",
            "unsloth/gemma-2-2b-it-bnb-4bit",
        ],
        "model_type": "gemma2",
        "architecture": "Gemma2ForCausalLM",
        "decoder_layer": "Gemma2DecoderLayer",
        "hidden_size": 2304,
        "num_hidden_layers": 26,
        "num_attention_heads": 8,
        "num_key_value_heads": 4,
        "head_dim": 256,
        "intermediate_size": 9216,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": 30.0,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 2.61,
        "chat_template": "gemma",
        "size_class": "2B",
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-2-9b/blob/main/config.json
    # Gemma 2 9B base: head_dim 256 (not 3584 / 16). Final logits soft-capped at 30.0 (attention logits at
    # 50.0); 256000-token vocabulary, tied embeddings.
    {
        "name": "gemma-2-9b",
        "hf_id": "google/gemma-2-9b",
        "aliases": [
            "google/gemma-2-9b-it",
            "unsloth/gemma-2-9b",
            "unsloth/gemma-2-9b-it",
            "unsloth/gemma-2-9b-bnb-4bit",
            "unsloth/gemma-2-9b-it-bnb-4bit",
        ],
        "model_type": "gemma2",
        "architecture": "Gemma2ForCausalLM",
        "decoder_layer": "Gemma2DecoderLayer",
        "hidden_size": 3584,
        "num_hidden_layers": 42,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "head_dim": 256,
        "intermediate_size": 14336,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": 30.0,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 9.24,
        "chat_template": "gemma",
        "size_class": "9B",
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-2-27b/blob/main/config.json
    # Gemma 2 27B base: head_dim 128 (not 4608 / 32 = 144, which is query_pre_attn_scalar). Final logits
    # soft-capped at 30.0 (attention logits at 50.0); 256000-token vocabulary, tied embeddings.
    {
        "name": "gemma-2-27b",
        "hf_id": "google/gemma-2-27b",
        "aliases": [
            "google/gemma-2-27b-it",
            "unsloth/gemma-2-27b",
            "unsloth/gemma-2-27b-it",
            "unsloth/gemma-2-27b-bnb-4bit",
            "unsloth/gemma-2-27b-it-bnb-4bit",
        ],
        "model_type": "gemma2",
        "architecture": "Gemma2ForCausalLM",
        "decoder_layer": "Gemma2DecoderLayer",
        "hidden_size": 4608,
        "num_hidden_layers": 46,
        "num_attention_heads": 32,
        "num_key_value_heads": 16,
        "head_dim": 128,
        "intermediate_size": 36864,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": 30.0,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 27.23,
        "chat_template": "gemma",
        "size_class": "27B",
        "license_gated": True,
    },
    # https://huggingface.co/google/vaultgemma-1b/blob/main/config.json
    # VaultGemma 1B (pretrained only, trained with DP-SGD): 26 layers, 4 query / 4 KV heads of 256 (the heads are
    # 1024 wide against a hidden size of 1152), query_pre_attn_scalar 256, GeGLU of width 6912, 256000-token
    # vocabulary, tied embeddings; both logit soft-caps null and all 26 layers full attention (its sliding_window,
    # 512, is read by no layer); 1024 positions (the model card's 1024-token sequence length). No verbatim stored
    # copy of its config.json was found: these fields come from stored third-party copies of it that agree (a
    # KerasHub converter test's slice of the file: sizes, heads, head_dim, query_pre_attn_scalar, sliding_window;
    # an interpretability library's family page read from google/vaultgemma-1b: caps null, layer types, tied head,
    # heads of 256) and with the transformers docs' "1B parameters, 1024 token sequence length"; they give
    # 1,038,741,120 parameters. Gemma terms of use, gated as the other Google Gemma checkpoints.
    {
        "name": "vaultgemma-1b",
        "hf_id": "google/vaultgemma-1b",
        "aliases": [],
        "model_type": "vaultgemma",
        "architecture": "VaultGemmaForCausalLM",
        "decoder_layer": "VaultGemmaDecoderLayer",
        "hidden_size": 1152,
        "num_hidden_layers": 26,
        "num_attention_heads": 4,
        "num_key_value_heads": 4,
        "head_dim": 256,
        "intermediate_size": 6912,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 1024,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.04,
        "chat_template": "gemma",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-3-1b-pt/blob/main/config.json
    # Gemma 3 1B base: text-only (model_type gemma3_text, Gemma3ForCausalLM); head_dim 256, a single KV head,
    # 262144-token vocabulary, 32k context, QK-norm, no logit soft-capping.
    {
        "name": "gemma-3-1b",
        "hf_id": "google/gemma-3-1b-pt",
        "aliases": [
            "google/gemma-3-1b-it",
            "unsloth/gemma-3-1b-pt",
            "unsloth/gemma-3-1b-it",
            "unsloth/gemma-3-1b-it-bnb-4bit",
            "unsloth/gemma-3-1b-it-unsloth-bnb-4bit",
        ],
        "model_type": "gemma3_text",
        "architecture": "Gemma3ForCausalLM",
        "decoder_layer": "Gemma3DecoderLayer",
        "hidden_size": 1152,
        "num_hidden_layers": 26,
        "num_attention_heads": 4,
        "num_key_value_heads": 1,
        "head_dim": 256,
        "intermediate_size": 6912,
        "vocab_size": 262144,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.0,
        "chat_template": "gemma3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-3-4b-pt/blob/main/config.json
    # Gemma 3 4B base: head_dim 256. Multimodal checkpoint: config.json has model_type gemma3 and
    # architectures [Gemma3ForConditionalGeneration] with the decoder in text_config; transformers 5.17 maps
    # gemma3 in AutoModelForCausalLM to Gemma3ForConditionalGeneration, so that is what loads. Numbers here
    # are text_config's (vocab 262208 is the Gemma3TextConfig default the config relies on). params_b is
    # text-only: the SigLIP vision tower (~0.42B) is excluded. Its attention also names q_proj/k_proj/v_proj,
    # so bare target names reach the vision tower too.
    {
        "name": "gemma-3-4b",
        "hf_id": "google/gemma-3-4b-pt",
        "aliases": [
            "google/gemma-3-4b-it",
            "unsloth/gemma-3-4b-pt",
            "unsloth/gemma-3-4b-it",
            "unsloth/gemma-3-4b-it-bnb-4bit",
            "unsloth/gemma-3-4b-it-unsloth-bnb-4bit",
        ],
        "model_type": "gemma3",
        "architecture": "Gemma3ForConditionalGeneration",
        "decoder_layer": "Gemma3DecoderLayer",
        "hidden_size": 2560,
        "num_hidden_layers": 34,
        "num_attention_heads": 8,
        "num_key_value_heads": 4,
        "head_dim": 256,
        "intermediate_size": 10240,
        "vocab_size": 262208,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 3.88,
        "chat_template": "gemma3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-3-12b-pt/blob/main/config.json
    # Gemma 3 12B base: head_dim 256. Multimodal checkpoint: config.json has model_type gemma3 and
    # architectures [Gemma3ForConditionalGeneration] with the decoder in text_config; transformers 5.17 maps
    # gemma3 in AutoModelForCausalLM to Gemma3ForConditionalGeneration, so that is what loads. Numbers here
    # are text_config's (vocab 262208 is the Gemma3TextConfig default the config relies on). params_b is
    # text-only: the SigLIP vision tower (~0.42B) is excluded. Its attention also names q_proj/k_proj/v_proj,
    # so bare target names reach the vision tower too.
    {
        "name": "gemma-3-12b",
        "hf_id": "google/gemma-3-12b-pt",
        "aliases": [
            "google/gemma-3-12b-it",
            "unsloth/gemma-3-12b-pt",
            "unsloth/gemma-3-12b-it",
            "unsloth/gemma-3-12b-it-bnb-4bit",
            "unsloth/gemma-3-12b-it-unsloth-bnb-4bit",
        ],
        "model_type": "gemma3",
        "architecture": "Gemma3ForConditionalGeneration",
        "decoder_layer": "Gemma3DecoderLayer",
        "hidden_size": 3840,
        "num_hidden_layers": 48,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "head_dim": 256,
        "intermediate_size": 15360,
        "vocab_size": 262208,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 11.77,
        "chat_template": "gemma3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/google/gemma-3-27b-pt/blob/main/config.json
    # Gemma 3 27B base: head_dim 128 (query_pre_attn_scalar 168 = 5376 / 32). Multimodal checkpoint:
    # config.json has model_type gemma3 and architectures [Gemma3ForConditionalGeneration] with the decoder in
    # text_config; transformers 5.17 maps gemma3 in AutoModelForCausalLM to Gemma3ForConditionalGeneration, so
    # that is what loads. Numbers here are text_config's (vocab 262208 is the Gemma3TextConfig default the
    # config relies on). params_b is text-only: the SigLIP vision tower (~0.42B) is excluded. Its attention
    # also names q_proj/k_proj/v_proj, so bare target names reach the vision tower too.
    {
        "name": "gemma-3-27b",
        "hf_id": "google/gemma-3-27b-pt",
        "aliases": [
            "google/gemma-3-27b-it",
            "unsloth/gemma-3-27b-pt",
            "unsloth/gemma-3-27b-it",
            "unsloth/gemma-3-27b-it-bnb-4bit",
            "unsloth/gemma-3-27b-it-unsloth-bnb-4bit",
        ],
        "model_type": "gemma3",
        "architecture": "Gemma3ForConditionalGeneration",
        "decoder_layer": "Gemma3DecoderLayer",
        "hidden_size": 5376,
        "num_hidden_layers": 62,
        "num_attention_heads": 32,
        "num_key_value_heads": 16,
        "head_dim": 128,
        "intermediate_size": 21504,
        "vocab_size": 262208,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 27.01,
        "chat_template": "gemma3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json
    # Phi-3 mini 4k: 32064-entry padded vocabulary, full multi-head attention. Only instruction-tuned weights
    # were released. Fused qkv_proj and gate_up_proj linears (Phi3Attention / Phi3MLP).
    # Phi-3-mini-128k-instruct has the same shapes with a 131072-token LongRoPE context.
    {
        "name": "phi-3-mini-4k",
        "hf_id": "microsoft/Phi-3-mini-4k-instruct",
        "aliases": [
            "microsoft/Phi-3-mini-128k-instruct",
            "unsloth/Phi-3-mini-4k-instruct",
            "unsloth/Phi-3-mini-4k-instruct-bnb-4bit",
        ],
        "model_type": "phi3",
        "architecture": "Phi3ForCausalLM",
        "decoder_layer": "Phi3DecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 96,
        "intermediate_size": 8192,
        "vocab_size": 32064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["qkv_proj", "o_proj"],
        "mlp_modules": ["gate_up_proj", "down_proj"],
        "min_modules": ["qkv_proj"],
        "params_b": 3.82,
        "chat_template": "phi_3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/microsoft/Phi-3-medium-4k-instruct/blob/main/config.json
    # Phi-3 medium 4k: 40 query heads, 10 KV heads. Only instruction-tuned weights were released. Fused
    # qkv_proj and gate_up_proj linears (Phi3Attention / Phi3MLP). Phi-3-medium-128k-instruct has the same
    # shapes with a 131072-token LongRoPE context.
    {
        "name": "phi-3-medium-4k",
        "hf_id": "microsoft/Phi-3-medium-4k-instruct",
        "aliases": [
            "microsoft/Phi-3-medium-128k-instruct",
            "unsloth/Phi-3-medium-4k-instruct",
            "unsloth/Phi-3-medium-4k-instruct-bnb-4bit",
        ],
        "model_type": "phi3",
        "architecture": "Phi3ForCausalLM",
        "decoder_layer": "Phi3DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 40,
        "num_attention_heads": 40,
        "num_key_value_heads": 10,
        "head_dim": 128,
        "intermediate_size": 17920,
        "vocab_size": 32064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["qkv_proj", "o_proj"],
        "mlp_modules": ["gate_up_proj", "down_proj"],
        "min_modules": ["qkv_proj"],
        "params_b": 13.96,
        "chat_template": "phi_3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/microsoft/Phi-3.5-mini-instruct/blob/main/config.json
    # Phi-3.5 mini: Phi-3 mini shapes, 131072-token LongRoPE context. Only instruction-tuned weights were
    # released. Fused qkv_proj and gate_up_proj linears (Phi3Attention / Phi3MLP). Axolotl also has a phi_35
    # template (Phi-3.5's own: no BOS); phi_3 renders the same turns.
    {
        "name": "phi-3.5-mini",
        "hf_id": "microsoft/Phi-3.5-mini-instruct",
        "aliases": ["unsloth/Phi-3.5-mini-instruct", "unsloth/Phi-3.5-mini-instruct-bnb-4bit"],
        "model_type": "phi3",
        "architecture": "Phi3ForCausalLM",
        "decoder_layer": "Phi3DecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 96,
        "intermediate_size": 8192,
        "vocab_size": 32064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["qkv_proj", "o_proj"],
        "mlp_modules": ["gate_up_proj", "down_proj"],
        "min_modules": ["qkv_proj"],
        "params_b": 3.82,
        "chat_template": "phi_3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/microsoft/phi-4/blob/main/config.json
    # Phi-4 (14B): phi3 architecture with GQA and a 100352-entry vocabulary, 16k context. Fused qkv_proj and
    # gate_up_proj linears (Phi3Attention / Phi3MLP). It uses <|im_start|>role<|im_sep|> turns; Axolotl's enum
    # has no phi_4 value, so chatml is the nearest.
    {
        "name": "phi-4",
        "hf_id": "microsoft/phi-4",
        "aliases": ["unsloth/phi-4", "unsloth/phi-4-bnb-4bit", "unsloth/phi-4-unsloth-bnb-4bit"],
        "model_type": "phi3",
        "architecture": "Phi3ForCausalLM",
        "decoder_layer": "Phi3DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 40,
        "num_attention_heads": 40,
        "num_key_value_heads": 10,
        "head_dim": 128,
        "intermediate_size": 17920,
        "vocab_size": 100352,
        "tie_word_embeddings": False,
        "max_position_embeddings": 16384,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["qkv_proj", "o_proj"],
        "mlp_modules": ["gate_up_proj", "down_proj"],
        "min_modules": ["qkv_proj"],
        "params_b": 14.66,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/HuggingFaceTB/SmolLM2-135M/blob/main/config.json
    # SmolLM2 135M base: 9 query heads, 3 KV heads. Llama architecture, tied embeddings, 49152-token
    # vocabulary; the Instruct models use ChatML.
    {
        "name": "smollm2-135m",
        "hf_id": "HuggingFaceTB/SmolLM2-135M",
        "aliases": [
            "HuggingFaceTB/SmolLM2-135M-Instruct",
            "unsloth/SmolLM2-135M",
            "unsloth/SmolLM2-135M-Instruct",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 576,
        "num_hidden_layers": 30,
        "num_attention_heads": 9,
        "num_key_value_heads": 3,
        "head_dim": 64,
        "intermediate_size": 1536,
        "vocab_size": 49152,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 0.135,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/HuggingFaceTB/SmolLM2-360M/blob/main/config.json
    # SmolLM2 360M base: 15 query heads, 5 KV heads. Llama architecture, tied embeddings, 49152-token
    # vocabulary; the Instruct models use ChatML.
    {
        "name": "smollm2-360m",
        "hf_id": "HuggingFaceTB/SmolLM2-360M",
        "aliases": [
            "HuggingFaceTB/SmolLM2-360M-Instruct",
            "unsloth/SmolLM2-360M",
            "unsloth/SmolLM2-360M-Instruct",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 960,
        "num_hidden_layers": 32,
        "num_attention_heads": 15,
        "num_key_value_heads": 5,
        "head_dim": 64,
        "intermediate_size": 2560,
        "vocab_size": 49152,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 0.362,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/HuggingFaceTB/SmolLM2-1.7B/blob/main/config.json
    # SmolLM2 1.7B base: full multi-head attention (32 KV heads). Llama architecture, tied embeddings,
    # 49152-token vocabulary; the Instruct models use ChatML.
    {
        "name": "smollm2-1.7b",
        "hf_id": "HuggingFaceTB/SmolLM2-1.7B",
        "aliases": [
            "HuggingFaceTB/SmolLM2-1.7B-Instruct",
            "unsloth/SmolLM2-1.7B",
            "unsloth/SmolLM2-1.7B-Instruct",
        ],
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 24,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 64,
        "intermediate_size": 8192,
        "vocab_size": 49152,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.71,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/openai/gpt-oss-20b/blob/main/config.json
    # gpt-oss 20B (MoE): 32 experts, 4 routed per token (num_local_experts / experts_per_token), every layer
    # sparse; attention biases and learned sinks, alternating 128-token sliding and full layers, 201088-token
    # o200k vocabulary. Read from a stored copy of the config.json (its quantization_config edited; the released
    # weights store the experts in MXFP4). transformers 5.x fuses the experts into 3-D parameters (GptOssExperts) and
    # the router is a bare parameter, so no MLP nn.Linear exists; the class refuses sdpa (see catalog/families.py).
    # Harmony chat format only: Axolotl's enum has no entry, so the tokenizer's own template is used.
    {
        "name": "gpt-oss-20b",
        "hf_id": "openai/gpt-oss-20b",
        "aliases": ["unsloth/gpt-oss-20b", "unsloth/gpt-oss-20b-BF16", "unsloth/gpt-oss-20b-unsloth-bnb-4bit"],
        "model_type": "gpt_oss",
        "architecture": "GptOssForCausalLM",
        "decoder_layer": "GptOssDecoderLayer",
        "hidden_size": 2880,
        "num_hidden_layers": 24,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 64,
        "intermediate_size": 2880,
        "vocab_size": 201088,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": 32,
        "num_experts_per_tok": 4,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 20.91,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json
    # gpt-oss 120B (MoE): gpt-oss-20b's layer (hidden 2880, 64 query / 8 KV heads of 64, expert width 2880) with
    # 36 layers and 128 experts, 4 routed per token. Its config.json is not among the stored copies: the shapes come
    # from two stored third-party copies of its fields and agree with the model card's 116.8B total. Same quirks as
    # gpt-oss-20b (fused MXFP4 experts, sinks, no sdpa, Harmony chat format).
    {
        "name": "gpt-oss-120b",
        "hf_id": "openai/gpt-oss-120b",
        "aliases": ["unsloth/gpt-oss-120b", "unsloth/gpt-oss-120b-BF16", "unsloth/gpt-oss-120b-unsloth-bnb-4bit"],
        "model_type": "gpt_oss",
        "architecture": "GptOssForCausalLM",
        "decoder_layer": "GptOssDecoderLayer",
        "hidden_size": 2880,
        "num_hidden_layers": 36,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 64,
        "intermediate_size": 2880,
        "vocab_size": 201088,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": 128,
        "num_experts_per_tok": 4,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 116.79,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/google/gemma-3-270m/blob/main/config.json
    # Gemma 3 270M base: text-only (gemma3_text); 4 query heads of 256 over a single KV head, 18 layers (5 sliding
    # of 512 per full one), 262144-token vocabulary: the embeddings are about 168M of its 268M parameters.
    {
        "name": "gemma-3-270m",
        "hf_id": "google/gemma-3-270m",
        "aliases": ["google/gemma-3-270m-it", "unsloth/gemma-3-270m", "unsloth/gemma-3-270m-it"],
        "model_type": "gemma3_text",
        "architecture": "Gemma3ForCausalLM",
        "decoder_layer": "Gemma3DecoderLayer",
        "hidden_size": 640,
        "num_hidden_layers": 18,
        "num_attention_heads": 4,
        "num_key_value_heads": 1,
        "head_dim": 256,
        "intermediate_size": 2048,
        "vocab_size": 262144,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 0.268,
        "chat_template": "gemma3",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/HuggingFaceTB/SmolLM3-3B/blob/main/config.json
    # SmolLM3 3B: Llama-shaped with GQA (16 query / 4 KV heads of 128), every fourth layer without RoPE
    # (no_rope_layers), 128256-token Llama-3 vocabulary, tied embeddings (the config class default), 64k context.
    # SmolLM3-3B-Base has the same shapes. Its chat template writes ChatML turns.
    {
        "name": "smollm3-3b",
        "hf_id": "HuggingFaceTB/SmolLM3-3B",
        "aliases": ["HuggingFaceTB/SmolLM3-3B-Base", "unsloth/SmolLM3-3B", "unsloth/SmolLM3-3B-Base"],
        "model_type": "smollm3",
        "architecture": "SmolLM3ForCausalLM",
        "decoder_layer": "SmolLM3DecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 36,
        "num_attention_heads": 16,
        "num_key_value_heads": 4,
        "head_dim": 128,
        "intermediate_size": 11008,
        "vocab_size": 128256,
        "tie_word_embeddings": True,
        "max_position_embeddings": 65536,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 3.08,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/allenai/OLMo-2-1124-7B/blob/main/config.json
    # OLMo 2 7B (1124): full multi-head attention (32 KV heads), norms after attention and MLP, QK-norm, 100352-token
    # vocabulary, 4k context, untied embeddings. Read from a stored copy of the -Instruct config (same shapes).
    # Its Tulu chat format has no Axolotl enum value, so chatml is used for fine-tuning.
    {
        "name": "olmo-2-7b",
        "hf_id": "allenai/OLMo-2-1124-7B",
        "aliases": ["allenai/OLMo-2-1124-7B-Instruct", "allenai/OLMo-2-1124-7B-SFT", "allenai/OLMo-2-1124-7B-DPO"],
        "model_type": "olmo2",
        "architecture": "Olmo2ForCausalLM",
        "decoder_layer": "Olmo2DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 128,
        "intermediate_size": 11008,
        "vocab_size": 100352,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 7.3,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/allenai/OLMo-2-1124-13B/blob/main/config.json
    # OLMo 2 13B (1124): full multi-head attention (40 KV heads), post-norm block with QK-norm, 100352-token
    # vocabulary, 4k context, untied embeddings. Tulu chat format: chatml is used for fine-tuning.
    {
        "name": "olmo-2-13b",
        "hf_id": "allenai/OLMo-2-1124-13B",
        "aliases": ["allenai/OLMo-2-1124-13B-Instruct", "allenai/OLMo-2-1124-13B-SFT", "allenai/OLMo-2-1124-13B-DPO"],
        "model_type": "olmo2",
        "architecture": "Olmo2ForCausalLM",
        "decoder_layer": "Olmo2DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 40,
        "num_attention_heads": 40,
        "num_key_value_heads": 40,
        "head_dim": 128,
        "intermediate_size": 13824,
        "vocab_size": 100352,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 13.72,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/ibm-granite/granite-3.3-8b-instruct/blob/main/config.json
    # Granite 3.3 8B: Llama-shaped (32 query / 8 KV heads of 128) with muP multipliers (embedding 12, attention
    # 1/128, residual 0.22, logits divided by 16), 49159-token vocabulary, tied embeddings, 128k context.
    # Its <|start_of_role|> chat format has no Axolotl enum value, so chatml is used for fine-tuning.
    {
        "name": "granite-3.3-8b",
        "hf_id": "ibm-granite/granite-3.3-8b-instruct",
        "aliases": ["ibm-granite/granite-3.3-8b-base", "unsloth/granite-3.3-8b-instruct"],
        "model_type": "granite",
        "architecture": "GraniteForCausalLM",
        "decoder_layer": "GraniteDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 40,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 12800,
        "vocab_size": 49159,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.17,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/zai-org/GLM-4-9B-0414/blob/main/config.json
    # GLM-4-9B-0414 (the repository moved from THUDM to zai-org): 32 query / 2 KV heads of 128, q/k/v biases
    # (attention_bias), RoPE on half of each head (partial_rotary_factor 0.5, theta 10000), 151552-token
    # vocabulary, untied head, 32k context. Four RMSNorms a layer and a fused gate_up_proj Linear (Glm4MLP).
    # No verbatim stored copy of its config.json was found; the fields agree with transformers 5.23's Glm4Config
    # defaults and with several stored third-party copies of the shapes. Its [gMASK]<sop> chat format has no
    # Axolotl enum value, so chatml is used for fine-tuning.
    {
        "name": "glm-4-9b-0414",
        "hf_id": "zai-org/GLM-4-9B-0414",
        "aliases": ["THUDM/GLM-4-9B-0414"],
        "model_type": "glm4",
        "architecture": "Glm4ForCausalLM",
        "decoder_layer": "Glm4DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 40,
        "num_attention_heads": 32,
        "num_key_value_heads": 2,
        "head_dim": 128,
        "intermediate_size": 13696,
        "vocab_size": 151552,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 9.4,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/zai-org/glm-4-9b-hf/blob/main/config.json
    # GLM-4-9B in transformers' own format (model_type glm, GlmForCausalLM; the repositories moved from THUDM to
    # zai-org): 40 layers, 32 query / 2 KV heads of 128, q/k/v biases (attention_bias) and none on o_proj, a fused
    # gate_up_proj of 2 x 13696, two RMSNorms a layer (eps 1.5625e-7), RoPE theta 10000 on half of each head
    # (partial_rotary_factor absent from config.json: GlmConfig defaults it to 0.5), 151552-token vocabulary,
    # untied head. The shapes come from a stored third-party copy of glm-4-9b-chat-hf's config.json (its
    # max_position_embeddings 131072, the chat model's 128K) and agree with a stored print of GlmForCausalLM
    # loaded from it (q 4096 -> 4096 and k/v 4096 -> 256 with bias, gate_up_proj 4096 -> 27392, down_proj 13696 ->
    # 4096, lm_head 4096 -> 151552); 8192 positions are the base model's 8K context in THUDM's GLM-4 README table.
    # Named with -hf so that the original THUDM/glm-4-9b and -chat repositories (ChatGLM remote code, fused
    # query_key_value) resolve to no entry; glm-4-9b-chat-1m-hf (1M positions) is best read from its own
    # config.json. Its [gMASK]<sop> chat format has no Axolotl enum value, so chatml is used for fine-tuning.
    {
        "name": "glm-4-9b-hf",
        "hf_id": "zai-org/glm-4-9b-hf",
        "aliases": ["THUDM/glm-4-9b-hf", "zai-org/glm-4-9b-chat-hf", "THUDM/glm-4-9b-chat-hf"],
        "model_type": "glm",
        "architecture": "GlmForCausalLM",
        "decoder_layer": "GlmDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 40,
        "num_attention_heads": 32,
        "num_key_value_heads": 2,
        "head_dim": 128,
        "intermediate_size": 13696,
        "vocab_size": 151552,
        "tie_word_embeddings": False,
        "max_position_embeddings": 8192,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 9.4,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/baidu/ERNIE-4.5-0.3B-PT/blob/main/config.json
    # ERNIE 4.5 0.3B (dense, PyTorch weights): 18 layers, 16 query / 2 KV heads of 128 (head_dim given, wider than
    # 1024 / 16), no biases (use_bias false), 103424-token vocabulary, tied embeddings, RoPE theta 500000, 128k
    # context. Read from a stored copy of the release config (the remote-code Ernie4_5_ForCausalLM naming; the
    # native class is Ernie4_5ForCausalLM). Its chat format has no Axolotl enum value: chatml.
    {
        "name": "ernie-4.5-0.3b",
        "hf_id": "baidu/ERNIE-4.5-0.3B-PT",
        "aliases": [],
        "model_type": "ernie4_5",
        "architecture": "Ernie4_5ForCausalLM",
        "decoder_layer": "Ernie4_5DecoderLayer",
        "hidden_size": 1024,
        "num_hidden_layers": 18,
        "num_attention_heads": 16,
        "num_key_value_heads": 2,
        "head_dim": 128,
        "intermediate_size": 3072,
        "vocab_size": 103424,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 0.36,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/allenai/OLMoE-1B-7B-0125/blob/main/config.json
    # OLMoE 1B-7B (0125, MoE): 16 layers, all sparse; 64 experts of width 1024, 8 routed per token, no shared
    # expert; full multi-head attention (16 KV heads of 128) with QK-norm, 50304-token vocabulary, untied head,
    # 4k context, RoPE theta 10000. No verbatim stored copy of its config.json was found; the fields agree with
    # transformers 5.23's OlmoeConfig defaults and stored third-party copies. transformers 5.x fuses the experts
    # into 3-D parameters (OlmoeExperts) and the router is a bare parameter, so no MLP nn.Linear exists for
    # target_modules. Tulu chat format: chatml is used for fine-tuning.
    {
        "name": "olmoe-1b-7b",
        "hf_id": "allenai/OLMoE-1B-7B-0125",
        "aliases": ["allenai/OLMoE-1B-7B-0125-Instruct"],
        "model_type": "olmoe",
        "architecture": "OlmoeForCausalLM",
        "decoder_layer": "OlmoeDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 16,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "head_dim": 128,
        "intermediate_size": 1024,
        "vocab_size": 50304,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": 64,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 6.92,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/microsoft/Phi-3.5-MoE-instruct/blob/main/config.json
    # Phi-3.5-MoE (instruct): 32 layers, all sparse; 16 experts of width 6400, 2 routed per token (sparsemixer), no
    # shared expert; 32 query / 8 KV heads of 128, q/k/v/o and lm_head biases, LayerNorm, 32064-token vocabulary,
    # untied head, 128k context by LongRoPE over 4096 original positions. No verbatim stored copy of its
    # config.json was found; the shapes are transformers 5.23's PhimoeConfig defaults (its docstring names this
    # checkpoint) and agree with several stored third-party copies. transformers 5.x stacks the per-expert
    # checkpoint tensors into fused 3-D parameters at load (conversion_mapping "phimoe"), so no expert
    # nn.Linear exists for target_modules; the router is an nn.Linear (not a LoRA target here). Phi-3 chat format.
    {
        "name": "phi-3.5-moe",
        "hf_id": "microsoft/Phi-3.5-MoE-instruct",
        "aliases": [],
        "model_type": "phimoe",
        "architecture": "PhimoeForCausalLM",
        "decoder_layer": "PhimoeDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 6400,
        "vocab_size": 32064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": 16,
        "num_experts_per_tok": 2,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 41.87,
        "chat_template": "phi_3",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/ibm-granite/granite-3.1-3b-a800m-instruct/blob/main/config.json
    # Granite 3.1 3B-A800M (MoE): 32 layers, all sparse; 40 experts of width 512, 8 routed per token, no shared
    # expert; 24 query / 8 KV heads of 64, no biases, 49155-token vocabulary, tied embeddings, 128k context, RoPE
    # theta 1e7; muP multipliers (embedding 12, attention 1/64, residual 0.22, logits divided by 6). No verbatim
    # stored copy of its config.json was found; the shapes come from stored third-party copies of the release
    # config, the rest from transformers 5.23's GraniteMoeConfig. The experts are fused 3-D parameters and the
    # router a bare parameter, so no MLP nn.Linear exists for target_modules. Its <|start_of_role|> chat format
    # has no Axolotl enum value: chatml.
    {
        "name": "granite-3.1-3b-a800m",
        "hf_id": "ibm-granite/granite-3.1-3b-a800m-instruct",
        "aliases": ["ibm-granite/granite-3.1-3b-a800m-base"],
        "model_type": "granitemoe",
        "architecture": "GraniteMoeForCausalLM",
        "decoder_layer": "GraniteMoeDecoderLayer",
        "hidden_size": 1536,
        "num_hidden_layers": 32,
        "num_attention_heads": 24,
        "num_key_value_heads": 8,
        "head_dim": 64,
        "intermediate_size": 512,
        "vocab_size": 49155,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": 40,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 3.3,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/LGAI-EXAONE/EXAONE-4.0-1.2B/blob/main/config.json
    # EXAONE 4.0 1.2B (dense): 30 layers, 32 query / 8 KV heads of 64, no biases, SwiGLU of width 4096, 102400-token
    # vocabulary, tied embeddings, 64k context (llama3-style RoPE scaling, theta 1e6). Post-norms only and per-head
    # QK-norm; unlike the 32B every layer is global (no sliding window). No verbatim stored copy of its
    # config.json was found; the shapes come from stored third-party copies and descriptions, checked against
    # transformers 5.23's Exaone4Config. Axolotl has its own exaone4 chat template.
    {
        "name": "exaone-4.0-1.2b",
        "hf_id": "LGAI-EXAONE/EXAONE-4.0-1.2B",
        "aliases": [],
        "model_type": "exaone4",
        "architecture": "Exaone4ForCausalLM",
        "decoder_layer": "Exaone4DecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 30,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 64,
        "intermediate_size": 4096,
        "vocab_size": 102400,
        "tie_word_embeddings": True,
        "max_position_embeddings": 65536,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.28,
        "chat_template": "exaone4",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/swiss-ai/Apertus-8B-2509/blob/main/config.json
    # Apertus 8B (2509, base; Swiss AI Initiative): 32 layers, 32 query / 8 KV heads of 128, no biases, an ungated
    # xIELU MLP of width 21504 (up_proj and down_proj only), per-head QK-norm, 131072-token vocabulary, untied head,
    # 65536 positions (llama3-style RoPE scaling, theta 1.2e7). No verbatim stored copy of its config.json was found:
    # the fields come from stored third-party ports of the model that read them from it (an inference port's
    # config loader, whose defaults are these values, and its attention notes: 32 query and 8 KV heads, QK-norm,
    # llama3 scaling), which agree with the model card's 8B; they give the parameter count below. Its chat format
    # has no Axolotl enum value: the tokenizer's own template is used. Apache-2.0, not gated.
    {
        "name": "apertus-8b",
        "hf_id": "swiss-ai/Apertus-8B-2509",
        "aliases": ["swiss-ai/Apertus-8B-Instruct-2509", "swiss-ai/Apertus-8B"],
        "model_type": "apertus",
        "architecture": "ApertusForCausalLM",
        "decoder_layer": "ApertusDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 21504,
        "vocab_size": 131072,
        "tie_word_embeddings": False,
        "max_position_embeddings": 65536,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.05,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/nvidia/Minitron-4B-Base/blob/main/config.json
    # Minitron 4B (NVIDIA, nemotron; Nemotron-4 15B pruned and distilled): 32 layers, 24 query / 8 KV heads of 128
    # (kv_channels), an ungated squared-ReLU MLP of width 9216, LayerNorm1P, RoPE on half of each head, untied
    # 256000-token vocabulary, 4096 positions. No verbatim stored copy of its config.json was found; the fields come
    # from a stored inference engine's test fixture of the Nemotron-4 4B config (hidden 3072, intermediate 9216, 24 / 8
    # heads, kv_channels 128, 32 layers, vocab 256000, partial_rotary_factor 0.5, untied, 4096 positions), which give
    # the model card's 4.2B. Nemotron-Mini-4B-Instruct has these shapes. NVIDIA Open Model License, not gated.
    {
        "name": "minitron-4b",
        "hf_id": "nvidia/Minitron-4B-Base",
        "aliases": ["nvidia/Nemotron-Mini-4B-Instruct"],
        "model_type": "nemotron",
        "architecture": "NemotronForCausalLM",
        "decoder_layer": "NemotronDecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 32,
        "num_attention_heads": 24,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 9216,
        "vocab_size": 256000,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 4.19,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/arcee-ai/AFM-4.5B/blob/main/config.json
    # AFM-4.5B (Arcee, arcee): 36 layers, 20 query / 4 KV heads of 128, an ungated squared-ReLU MLP of width 18432
    # (hidden_act relu2), no biases, RMSNorm, RoPE theta 1e4 with YaRN x20 from 4096 to 65536 positions, untied
    # 128005-token vocabulary. No verbatim stored copy of its config.json was found; the fields come from a stored
    # copy of the config.json of a fine-tune of it (ArceeForCausalLM, the same shapes) and transformers' Arcee docs,
    # and give the 4.6B a stored model table lists. Apache-2.0, not gated.
    {
        "name": "afm-4.5b",
        "hf_id": "arcee-ai/AFM-4.5B",
        "aliases": ["arcee-ai/AFM-4.5B-Base"],
        "model_type": "arcee",
        "architecture": "ArceeForCausalLM",
        "decoder_layer": "ArceeDecoderLayer",
        "hidden_size": 2560,
        "num_hidden_layers": 36,
        "num_attention_heads": 20,
        "num_key_value_heads": 4,
        "head_dim": 128,
        "intermediate_size": 18432,
        "vocab_size": 128005,
        "tie_word_embeddings": False,
        "max_position_embeddings": 65536,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 4.62,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/allenai/Olmo-3-1025-7B/blob/main/config.json
    # OLMo 3 7B (base, 1025): 32 layers, full multi-head attention (32 query / 32 KV heads of 128), no biases, SwiGLU of
    # width 11008, 100278-token vocabulary, untied head, 65536 positions (YaRN factor 8 over 8192 on the full layers
    # only, theta 5e5). OLMo 2's block (no pre-norm, attention and MLP outputs RMS-normalised, QK-norm over the whole
    # q and k projections) with 3 sliding-window layers (4096) per full one. No verbatim stored copy of its config.json
    # was found; the shapes come from stored third-party copies (a TT-metal port, vLLM/llama.cpp-style test configs, a
    # repository card stating 7,298,011,136 parameters), checked against transformers 5.23's Olmo3Config. Its
    # instruct chat format is ChatML-style (<|im_start|>): chatml.
    {
        "name": "olmo-3-7b",
        "hf_id": "allenai/Olmo-3-1025-7B",
        "aliases": [
            "allenai/Olmo-3-7B-Instruct",
            "allenai/Olmo-3-7B-Think",
            "allenai/Olmo-3-7B-Instruct-SFT",
            "allenai/Olmo-3-7B-Think-SFT",
        ],
        "model_type": "olmo3",
        "architecture": "Olmo3ForCausalLM",
        "decoder_layer": "Olmo3DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 128,
        "intermediate_size": 11008,
        "vocab_size": 100278,
        "tie_word_embeddings": False,
        "max_position_embeddings": 65536,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 7.3,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/allenai/Olmo-3-1125-32B/blob/main/config.json
    # OLMo 3 32B (base, 1125): 64 layers, 40 query / 8 KV heads of 128, no biases, SwiGLU of width 27648, 100278-token
    # vocabulary, untied head, 65536 positions (YaRN factor 8 over 8192 on the full layers), 48 sliding-window layers
    # (4096) and 16 full ones; the block as the 7B's. No verbatim stored copy of its config.json was found; the shapes
    # come from a stored third-party table of it (a TT-metal port assessment; it also says no QK-norm, which
    # transformers 5.23's Olmo3Attention contradicts: q_norm / k_norm are built unconditionally). chatml.
    {
        "name": "olmo-3-32b",
        "hf_id": "allenai/Olmo-3-1125-32B",
        "aliases": ["allenai/Olmo-3-32B-Think", "allenai/Olmo-3.1-32B-Instruct", "allenai/Olmo-3.1-32B-Think"],
        "model_type": "olmo3",
        "architecture": "Olmo3ForCausalLM",
        "decoder_layer": "Olmo3DecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 64,
        "num_attention_heads": 40,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 27648,
        "vocab_size": 100278,
        "tie_word_embeddings": False,
        "max_position_embeddings": 65536,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 32.23,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/ByteDance-Seed/Seed-OSS-36B-Base/blob/main/config.json
    # Seed-OSS 36B (base; the Instruct and woSyn releases share the shapes): 64 layers, 80 query / 8 KV heads of 128,
    # q/k/v biases but none on o_proj, SwiGLU of width 27648, 155136-token vocabulary, untied head, 512k context (RoPE
    # theta 1e7), rms_norm_eps 1e-6. No verbatim stored copy of its config.json was found; the shapes come from a
    # stored third-party copy of it (an MLX port's test config) and agree with ByteDance-Seed/seed-oss's README (64
    # layers, 80 / 8 / 8 heads of 128, hidden 5120, 155K vocabulary, 512K context, theta 1e7); the biases and the
    # dropouts (attention 0.1, residual 0.1, on in training) are transformers 5.23's SeedOssConfig defaults, whose
    # docstring names this checkpoint. Its <seed:bos> chat format has no Axolotl enum value: chatml.
    {
        "name": "seed-oss-36b",
        "hf_id": "ByteDance-Seed/Seed-OSS-36B-Base",
        "aliases": ["ByteDance-Seed/Seed-OSS-36B-Instruct", "ByteDance-Seed/Seed-OSS-36B-Base-woSyn"],
        "model_type": "seed_oss",
        "architecture": "SeedOssForCausalLM",
        "decoder_layer": "SeedOssDecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 64,
        "num_attention_heads": 80,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 27648,
        "vocab_size": 155136,
        "tie_word_embeddings": False,
        "max_position_embeddings": 524288,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 36.15,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/tencent/Hunyuan-7B-Instruct/blob/main/config.json
    # Hunyuan 7B (instruct, 2025): 32 layers, 32 query / 8 KV heads of 128, no biases, SwiGLU of width 14336,
    # 128167-token vocabulary, tied embeddings, 32768 positions in the config (NTK-alpha RoPE: theta 1e4, alpha 1000),
    # per-head QK-norm after RoPE, no cross-layer KV sharing (use_cla false). No verbatim stored copy of its
    # config.json was found; the shapes come from stored third-party copies of the Hunyuan-7B config (and of
    # Hy-MT2-7B's, the same layout), checked against transformers 5.23's HunYuanDenseV1Config. Its own chat format
    # has no Axolotl enum value: chatml.
    {
        "name": "hunyuan-7b",
        "hf_id": "tencent/Hunyuan-7B-Instruct",
        "aliases": ["tencent/Hunyuan-7B-Pretrain"],
        "model_type": "hunyuan_v1_dense",
        "architecture": "HunYuanDenseV1ForCausalLM",
        "decoder_layer": "HunYuanDenseV1DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 128167,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 7.5,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/kyutai/helium-1-preview-2b/blob/main/config.json
    # Helium-1 preview 2B (base): 24 layers, full multi-head attention (20 query / 20 KV heads of 128), no biases,
    # SwiGLU of width 7040, 48000-token vocabulary, untied head, 4096 positions (RoPE theta 1e5, interleaved pairs),
    # rms_norm_eps 1e-8. From a stored copy of its config.json (mlx-community/helium-1-preview-2b-4bit's, quoted
    # field for field in a third-party test; only its quantization fields added), which equals transformers 5.23's
    # HeliumConfig defaults. The later kyutai/helium-1-2b has other shapes and no stored copy of its config.json was
    # found, so it is not in the catalog. A base model without a chat format: chatml.
    {
        "name": "helium-1-preview-2b",
        "hf_id": "kyutai/helium-1-preview-2b",
        "aliases": [],
        "model_type": "helium",
        "architecture": "HeliumForCausalLM",
        "decoder_layer": "HeliumDecoderLayer",
        "hidden_size": 2560,
        "num_hidden_layers": 24,
        "num_attention_heads": 20,
        "num_key_value_heads": 20,
        "head_dim": 128,
        "intermediate_size": 7040,
        "vocab_size": 48000,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 2.17,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/stabilityai/stablelm-2-1_6b/blob/main/config.json
    # StableLM 2 1.6B (base): 24 layers, full multi-head attention (32 query / 32 KV heads of 64), q/k/v biases and
    # none on o_proj (use_qkv_bias), SwiGLU of width 5632, 100352-token vocabulary, untied head, 4096 positions (RoPE
    # theta 1e4 on a quarter of each head), LayerNorm (eps 1e-5, with bias) before attention and before the MLP
    # (use_parallel_residual false, no qk_layernorm). No verbatim stored copy of its config.json was found; the
    # shapes come from a stored third-party copy of its fields (an inference engine's stablelm-2-1.6b test config)
    # and agree with the model card's 1.6B; the block facts are transformers 5.23's StableLmConfig / modeling code.
    # Base model; the -chat release uses a ChatML-style format: chatml.
    {
        "name": "stablelm-2-1.6b",
        "hf_id": "stabilityai/stablelm-2-1_6b",
        "aliases": ["stabilityai/stablelm-2-1_6b-chat"],
        "model_type": "stablelm",
        "architecture": "StableLmForCausalLM",
        "decoder_layer": "StableLmDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 24,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 64,
        "intermediate_size": 5632,
        "vocab_size": 100352,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": True,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.64,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/CohereLabs/c4ai-command-r-v01/blob/main/config.json
    # Command R (35B, cohere): 40 layers, full multi-head attention (64 query / 64 KV heads of 128), SwiGLU of width
    # 22528, a parallel block (one bias-free CohereLayerNorm, eps 1e-5, feeding attention and MLP), no biases,
    # interleaved RoPE theta 8e6, logits times logit_scale 0.0625, tied 256000-token embeddings, 8192 positions in
    # config.json (the tokenizer's model_max_length is 131072), use_qk_norm false. No verbatim stored copy of its
    # config.json was found; the fields come from two stored third-party copies (an MLX port's test config: hidden
    # 8192, 64 / 64 heads, 40 layers, 22528, 256000, 8192 positions, theta 8e6, logit_scale 0.0625, tied; and a table
    # of Cohere shapes naming use_qk_norm false) and a stored table read from its raw config.json (64 / 64 heads,
    # 40 layers, head_dim 128, max_position_embeddings 8192); the model card's 35B agrees. CC-BY-NC, gated.
    {
        "name": "command-r-v01",
        "hf_id": "CohereLabs/c4ai-command-r-v01",
        "aliases": ["CohereForAI/c4ai-command-r-v01", "command-r-35b"],
        "model_type": "cohere",
        "architecture": "CohereForCausalLM",
        "decoder_layer": "CohereDecoderLayer",
        "hidden_size": 8192,
        "num_hidden_layers": 40,
        "num_attention_heads": 64,
        "num_key_value_heads": 64,
        "head_dim": 128,
        "intermediate_size": 22528,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 34.98,
        "chat_template": "cohere",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/CohereLabs/c4ai-command-r-plus/blob/main/config.json
    # Command R+ (104B, cohere): 64 layers, grouped-query attention (96 query / 8 KV heads of 128), SwiGLU of width
    # 33792, Command R's parallel block, plus use_qk_norm true: per-head CohereLayerNorms on q (96 x 128) and k
    # (8 x 128) before RoPE; RoPE theta 7.5e7, logit_scale 0.8333, tied 256000-token embeddings, 8192 positions in
    # config.json. Shapes from a stored third-party table of Cohere configs (hidden 12288, 64 layers, 96 / 8 heads,
    # 33792, theta 7.5e7, logit_scale 0.8333, tied; it says use_qk_norm false, which the released weights
    # contradict) and a stored table read from its raw config.json (96 / 8 heads, 64 layers, head_dim 128, 8192
    # positions). The QK-norm: transformers 5.23's CohereAttention builds q_norm / k_norm only under use_qk_norm,
    # and llama.cpp's Command-R loader (a stored copy) loads attn_q_norm / attn_k_norm tensors for the 64-layer
    # checkpoint. 103.8B, as the model card's 104B. CC-BY-NC, gated.
    {
        "name": "command-r-plus",
        "qk_norm": True,
        "hf_id": "CohereLabs/c4ai-command-r-plus",
        "aliases": ["CohereForAI/c4ai-command-r-plus", "command-r-plus-104b"],
        "model_type": "cohere",
        "architecture": "CohereForCausalLM",
        "decoder_layer": "CohereDecoderLayer",
        "hidden_size": 12288,
        "num_hidden_layers": 64,
        "num_attention_heads": 96,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 33792,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 103.81,
        "chat_template": "cohere",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/CohereLabs/aya-23-8B/blob/main/config.json
    # Aya 23 8B (cohere): 32 layers, 32 query / 8 KV heads of 128, SwiGLU of width 14336, Command R's parallel block
    # without QK-norm, RoPE theta 1e4, logit_scale 0.0625, tied 256000-token embeddings, 8192 positions. No
    # verbatim stored copy of its config.json was found; the fields are a stored third-party copy of a Cohere 8B
    # config (an MLC-LLM export script: CohereForCausalLM, hidden 4096, 32 layers, 32 / 8 heads, 14336, 256000,
    # 8192 positions, theta 1e4, logit_scale 0.0625), as the model card's 8B. CC-BY-NC, gated.
    {
        "name": "aya-23-8b",
        "hf_id": "CohereLabs/aya-23-8B",
        "aliases": ["CohereForAI/aya-23-8B"],
        "model_type": "cohere",
        "architecture": "CohereForCausalLM",
        "decoder_layer": "CohereDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.03,
        "chat_template": "cohere",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/CohereLabs/aya-expanse-8b/blob/main/config.json
    # Aya Expanse 8B (cohere): Aya 23 8B's shapes (32 layers, 32 / 8 heads of 128, 14336, tied 256000-token
    # embeddings, 8192 positions, no QK-norm); as released its logit_scale is 0.125. No verbatim stored copy of its
    # config.json was found; the shapes are Aya 23 8B's (above), which the model card's 8B and a stored model table
    # (Cohere, 8.0B) agree with. CC-BY-NC, gated.
    {
        "name": "aya-expanse-8b",
        "hf_id": "CohereLabs/aya-expanse-8b",
        "aliases": ["CohereForAI/aya-expanse-8b"],
        "model_type": "cohere",
        "architecture": "CohereForCausalLM",
        "decoder_layer": "CohereDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.03,
        "chat_template": "cohere",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/CohereLabs/aya-expanse-32b/blob/main/config.json
    # Aya Expanse 32B (cohere): Command R 08-2024's shapes: 40 layers, 64 query / 8 KV heads of 128, SwiGLU of width
    # 24576, tied 256000-token embeddings, no QK-norm, logit_scale 0.0625, RoPE theta 4e6. No verbatim stored copy of
    # its config.json was found; the shapes are those a stored third-party table gives c4ai-command-r-08-2024
    # (hidden 8192, 40 layers, 64 / 8 heads, 24576, theta 4e6, logit_scale 0.0625, tied), which give 32.3B, the
    # model card's 32B. max_position_embeddings unverified (8192 assumed, as the other Cohere configs). CC-BY-NC,
    # gated.
    {
        "name": "aya-expanse-32b",
        "hf_id": "CohereLabs/aya-expanse-32b",
        "aliases": ["CohereForAI/aya-expanse-32b"],
        "model_type": "cohere",
        "architecture": "CohereForCausalLM",
        "decoder_layer": "CohereDecoderLayer",
        "hidden_size": 8192,
        "num_hidden_layers": 40,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 24576,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 32.3,
        "chat_template": "cohere",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/CohereLabs/c4ai-command-r7b-12-2024/blob/main/config.json
    # Command R7B (cohere2): 32 layers, 32 query / 8 KV heads of 128, SwiGLU of width 14336, Cohere's parallel block
    # (one bias-free CohereLayerNorm, eps 1e-5), no biases, no QK-norm; sliding_window_pattern 4: three sliding
    # layers (window 4096, interleaved RoPE theta 5e4) then one global layer without positional encoding (24
    # sliding, 8 global); logit_scale 0.25, tied 256000-token embeddings, 132096 positions. No verbatim stored copy
    # of its config.json was found; the fields come from a stored third-party test config written from it
    # ("Command R7B's real spec": 4096, 32 / 8 heads, head_dim 128, 14336, 32 layers, 132096, 256000, theta 5e4,
    # window 4096 with 3 sliding : 1 full, logit_scale 0.25, tied) and a stored table read from its raw
    # config.json (32 / 8 heads, head_dim 128, 24 sliding + 8 full layers, window 4096, pattern 4, 132096
    # positions). 8.03B. CC-BY-NC, gated.
    {
        "name": "command-r7b-12-2024",
        "hf_id": "CohereLabs/c4ai-command-r7b-12-2024",
        "aliases": ["CohereForAI/c4ai-command-r7b-12-2024", "command-r7b"],
        "model_type": "cohere2",
        "architecture": "Cohere2ForCausalLM",
        "decoder_layer": "Cohere2DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 14336,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 132096,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.03,
        "chat_template": "cohere",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/CohereLabs/c4ai-command-a-03-2025/blob/main/config.json
    # Command A (111B, cohere2): 64 layers, 96 query / 8 KV heads of 128, Command R7B's block and 3 : 1 interleave
    # (48 sliding layers of window 4096, 16 global NoPE layers), tied 256000-token embeddings, 131072 positions.
    # The heads, layers, window, pattern and positions come from a stored table read from its raw config.json;
    # hidden 12288 is 96 x 128, and the MLP width 36864 is from memory of the release, not a stored copy: it gives
    # 111.06B, the model card's 111B (33792, Command R+'s width, would give 103.8B). CC-BY-NC, gated.
    {
        "name": "command-a-03-2025",
        "hf_id": "CohereLabs/c4ai-command-a-03-2025",
        "aliases": ["CohereForAI/c4ai-command-a-03-2025", "command-a"],
        "model_type": "cohere2",
        "architecture": "Cohere2ForCausalLM",
        "decoder_layer": "Cohere2DecoderLayer",
        "hidden_size": 12288,
        "num_hidden_layers": 64,
        "num_attention_heads": 96,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 36864,
        "vocab_size": 256000,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 111.06,
        "chat_template": "cohere",
        "size_class": None,
        "license_gated": True,
    },
    # https://huggingface.co/internlm/internlm3-8b-instruct/blob/main/config.json
    # InternLM3-8B-Instruct (no base checkpoint was published): 48 layers, 32 query / 2 KV heads of 128 (head_dim
    # given), SwiGLU of width 10240, no biases (qkv_bias and bias false), 128512-token vocabulary, untied head,
    # RoPE theta 5e7 with dynamic-NTK scaling (factor 6), 32768 positions. Read from a stored third-party test's
    # copy of its config.json ("realConfigJSON": InternLM3ForCausalLM, model_type internlm3, these fields); a
    # stored copy of mlx-community's 4-bit conversion agrees field for field. The architectures entry names remote
    # code; transformers 5.23 builds the model_type as LlamaForCausalLM (its auto mapping), which read_config
    # mirrors. Its chat format is ChatML (<|im_start|> / <|im_end|>). Apache-2.0.
    {
        "name": "internlm3-8b",
        "hf_id": "internlm/internlm3-8b-instruct",
        "aliases": [],
        "model_type": "internlm3",
        "architecture": "LlamaForCausalLM",
        "decoder_layer": "LlamaDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 48,
        "num_attention_heads": 32,
        "num_key_value_heads": 2,
        "head_dim": 128,
        "intermediate_size": 10240,
        "vocab_size": 128512,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 8.8,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/allenai/OLMo-1B-hf/blob/main/config.json
    # OLMo 1B (v1) in transformers' own format (model_type olmo, OlmoForCausalLM): 16 layers, hidden 2048, full
    # multi-head attention (16 query / 16 KV heads of 128), SwiGLU of width 8192, no biases (attention_bias false),
    # non-parametric LayerNorms, clip_qkv null, RoPE theta 1e4, 2048 positions, 50304-token vocabulary, tied
    # embeddings. Two stored third-party tests quote its config.json's architecture fields and agree field for field.
    # Named with -hf so that allenai/OLMo-1B (the hf_olmo remote-code format: d_model, n_layers) resolves to no
    # entry; OLMo-1B-0724-hf is best read from its own config.json. A base model: chatml is used for fine-tuning.
    # Apache-2.0.
    {
        "name": "olmo-1b-hf",
        "hf_id": "allenai/OLMo-1B-hf",
        "aliases": [],
        "model_type": "olmo",
        "architecture": "OlmoForCausalLM",
        "decoder_layer": "OlmoDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 16,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "head_dim": 128,
        "intermediate_size": 8192,
        "vocab_size": 50304,
        "tie_word_embeddings": True,
        "max_position_embeddings": 2048,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 1.18,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/allenai/OLMo-7B-hf/blob/main/config.json
    # OLMo 7B (v1) in transformers' own format: 32 layers, hidden 4096, full multi-head attention (32 / 32 heads of
    # 128), SwiGLU of width 11008, no biases, non-parametric LayerNorms, clip_qkv null, RoPE theta 1e4, 2048 positions,
    # 50304-token vocabulary, untied head. No verbatim stored copy of this file was found: the fields are
    # transformers 5.23's OlmoConfig defaults (documented as OLMo-7B-hf's), and they agree with a stored third-party
    # copy of the original allenai/OLMo-7B config (d_model 4096, 32 layers and heads, mlp_ratio 8: a SwiGLU hidden of
    # 22016 split in two, 2048 positions, 50304 tokens, untied) and with the model card's table (which gives OLMo 7B
    # Twin 2T the same shapes, hence its alias). OLMo 1.7 (OLMo-7B-0424-hf: 4096 positions and QKV clipping, its
    # model card says) and OLMo-7B-0724-hf are best read from their own config.json. A base model: chatml is used for
    # fine-tuning. Apache-2.0.
    {
        "name": "olmo-7b-hf",
        "hf_id": "allenai/OLMo-7B-hf",
        "aliases": ["allenai/OLMo-7B-Twin-2T-hf"],
        "model_type": "olmo",
        "architecture": "OlmoForCausalLM",
        "decoder_layer": "OlmoDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 128,
        "intermediate_size": 11008,
        "vocab_size": 50304,
        "tie_word_embeddings": False,
        "max_position_embeddings": 2048,
        "attention_bias": False,
        "num_experts": None,
        "num_experts_per_tok": None,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 6.89,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/Qwen/Qwen1.5-MoE-A2.7B/blob/main/config.json
    # Qwen1.5-MoE-A2.7B (MoE, 14.3B total / 2.7B active): 24 layers, all sparse (decoder_sparse_step 1, no
    # mlp_only_layers); 60 routed experts of width 1408, 4 per token by softmax (norm_topk_prob false), plus a
    # shared expert of width 5632 (shared_expert_intermediate_size, four routed experts' worth) scaled by a sigmoid
    # gate; full multi-head attention (16 query / 16 KV heads of 128) with q/k/v biases (Qwen2's, qkv_bias in
    # transformers 5.23, absent from this config), no QK-norm, 151936-token vocabulary, untied head, RoPE theta 1e6,
    # rms_norm_eps 1e-6, no sliding window (use_sliding_window false). No verbatim stored copy of the base repo's
    # config.json was found; the fields come from a stored copy of Qwen1.5-MoE-A2.7B-Chat-GPTQ-Int4's config.json
    # (the same model quantized; its quantization fields dropped) and a stored third-party copy of the -Chat one's,
    # which agree with each other and with transformers 5.23's Qwen2MoeConfig defaults (written for this model),
    # and they give the model card's 14.3B. Those copies give 32768 positions (the -Chat release's). transformers 5.x
    # stacks the per-expert checkpoint tensors into fused 3-D parameters at load and the router is a bare
    # parameter: mlp_modules reach the shared expert only. The -Chat release uses ChatML.
    {
        "name": "qwen1.5-moe-a2.7b",
        "hf_id": "Qwen/Qwen1.5-MoE-A2.7B",
        "aliases": ["Qwen/Qwen1.5-MoE-A2.7B-Chat"],
        "model_type": "qwen2_moe",
        "architecture": "Qwen2MoeForCausalLM",
        "decoder_layer": "Qwen2MoeDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "head_dim": 128,
        "intermediate_size": 1408,
        "vocab_size": 151936,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": True,
        "num_experts": 60,
        "num_experts_per_tok": 4,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 14.32,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 5632,
        "shared_expert_gate": True,
        "dense_layers": 0,
        "dense_intermediate_size": 0,
    },
    # https://huggingface.co/Qwen/Qwen2-57B-A14B/blob/main/config.json
    # Qwen2-57B-A14B (MoE, 57.4B total / 14B active): 28 layers, all sparse (decoder_sparse_step 1, no
    # mlp_only_layers); 64 routed experts of width 2560, 8 per token by softmax (norm_topk_prob false), plus a
    # shared expert of width 20480 scaled by a sigmoid gate; 28 query / 4 KV heads of 128 with q/k/v biases, no
    # QK-norm, 151936-token vocabulary, untied head, 131072 positions, RoPE theta 1e6, rms_norm_eps 1e-6, no sliding
    # window. From a stored verbatim copy of its config.json (TensorRT-LLM's Qwen2-57B-A14B test config,
    # transformers_version 4.40.1); its intermediate_size 18944 would only size dense layers, of which it has none.
    # The -Instruct release has the same shapes and uses ChatML.
    {
        "name": "qwen2-57b-a14b",
        "hf_id": "Qwen/Qwen2-57B-A14B",
        "aliases": ["Qwen/Qwen2-57B-A14B-Instruct"],
        "model_type": "qwen2_moe",
        "architecture": "Qwen2MoeForCausalLM",
        "decoder_layer": "Qwen2MoeDecoderLayer",
        "hidden_size": 3584,
        "num_hidden_layers": 28,
        "num_attention_heads": 28,
        "num_key_value_heads": 4,
        "head_dim": 128,
        "intermediate_size": 2560,
        "vocab_size": 151936,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": 64,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 57.41,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 20480,
        "shared_expert_gate": True,
        "dense_layers": 0,
        "dense_intermediate_size": 0,
    },
    # https://huggingface.co/tencent/Hunyuan-A13B-Instruct/blob/main/config.json
    # Hunyuan-A13B (MoE, 80B total / 13B active): 32 layers, all sparse (moe_layer_num_skipped 0); 64 routed experts
    # of width 3072, 8 per token by softmax (renormalised), plus one shared expert of width 3072 (num_shared_expert
    # 1, use_mixed_mlp_moe true) added without a gate; every per-layer list (moe_intermediate_size, moe_topk,
    # num_shared_expert) holds one value 32 times. 32 query / 8 KV heads of 128 (attention_head_dim), no biases,
    # per-head QK-norm after RoPE (use_qk_norm), no cross-layer attention (use_cla false), NTK-alpha RoPE (theta 1e4,
    # alpha 1000), rms_norm_eps 1e-5, 128167-token vocabulary, tied embeddings, 32768 positions; attention_dropout
    # 0.1. From a stored verbatim copy of the release's config.json (the Hunyuan-A13B GitHub repo's models/config.json,
    # model_type "hunyuan" for its remote code; transformers 5.23 loads these fields as hunyuan_v1_moe), agreeing
    # with several stored third-party copies of its fields. transformers 5.23 sizes the routed and the shared
    # experts from intermediate_size (3072 here, so the same), stacks the per-expert checkpoint tensors into fused
    # 3-D parameters at load, and its router (mlp.gate.wg) is an nn.Linear: mlp_modules reach the shared expert
    # only. Instruct model with <think> reasoning; its chat format has no Axolotl enum value: the tokenizer's own.
    {
        "name": "hunyuan-a13b",
        "hf_id": "tencent/Hunyuan-A13B-Instruct",
        "aliases": ["tencent/Hunyuan-A13B-Pretrain"],
        "model_type": "hunyuan_v1_moe",
        "architecture": "HunYuanMoEV1ForCausalLM",
        "decoder_layer": "HunYuanMoEV1DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 3072,
        "vocab_size": 128167,
        "tie_word_embeddings": True,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": 64,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 80.39,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 3072,
        "shared_expert_gate": False,
        "dense_layers": 0,
        "dense_intermediate_size": 0,
    },
    # https://huggingface.co/zai-org/GLM-4.5-Air/blob/main/config.json
    # GLM-4.5-Air (MoE, 106B total / 12B active): 46 layers, the first dense (first_k_dense_replace 1, a 10944-wide
    # SwiGLU MLP), the other 45 sparse: 128 routed experts of width 1408, 8 per token by sigmoid scores plus a
    # per-expert correction bias (n_group 1, norm_topk_prob, routed_scaling_factor 1.0), and one shared expert of
    # the same width (n_shared_experts 1) added without a gate; 96 query / 8 KV heads of 128 (q is 12288 wide, three
    # times the hidden size), q/k/v biases (attention_bias), no QK-norm (use_qk_norm false), RoPE on half of each
    # head (partial_rotary_factor 0.5), theta 1e6, rms_norm_eps 1e-5, 151552-token vocabulary, untied head, 131072
    # positions. No verbatim stored copy of its config.json was found; these are transformers 5.23's Glm4MoeConfig
    # defaults (the GLM-4.5-Air shapes: its docstring calls them GLM-4-MOE-100B-A10B), which a stored copy of
    # slime's glm4.5-106B-A12B Megatron arguments repeats field for field (1 dense + 45 MoE layers, 128 experts,
    # shared expert 1408, top 8, qkv bias, rotary 0.5, no qk-layernorm, no top-k scaling), and they give the
    # model card's 106B. Its one multi-token-prediction layer (num_nextn_predict_layers 1, stored as layer 46) is
    # not built by transformers 5.23 (Glm4MoeModel builds num_hidden_layers layers; _keys_to_ignore_on_load_unexpected
    # drops model.layers.46.*), so it is not counted. transformers 5.x stacks the per-expert checkpoint tensors into
    # fused 3-D parameters at load (conversion_mapping maps glm4_moe to qwen2_moe's) and the router is a bare
    # parameter: mlp_modules reach the shared expert and the dense layer. Its own chat format ([gMASK]<sop>, <think>
    # reasoning, tool calls) has no Axolotl enum value: the tokenizer's own template is used.
    {
        "name": "glm-4.5-air",
        "hf_id": "zai-org/GLM-4.5-Air",
        "aliases": ["zai-org/GLM-4.5-Air-Base"],
        "model_type": "glm4_moe",
        "architecture": "Glm4MoeForCausalLM",
        "decoder_layer": "Glm4MoeDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 46,
        "num_attention_heads": 96,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 1408,
        "vocab_size": 151552,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": 128,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 106.85,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 1408,
        "shared_expert_gate": False,
        "dense_layers": 1,
        "dense_intermediate_size": 10944,
    },
    # https://huggingface.co/zai-org/GLM-4.5/blob/main/config.json
    # GLM-4.5 (MoE, 355B total / 32B active): 92 layers, the first 3 dense (first_k_dense_replace 3, 12288-wide
    # SwiGLU MLPs), the other 89 sparse: 160 routed experts of width 1536, 8 per token by sigmoid scores plus a
    # correction bias, routed_scaling_factor 2.5, and one shared expert of width 1536; 96 query / 8 KV heads of 128,
    # q/k/v biases, per-head QK-norm (use_qk_norm true), RoPE on half of each head, theta 1e6, 151552-token
    # vocabulary, untied head, 131072 positions. No verbatim stored copy of its config.json was found; the shapes
    # come from a stored copy of slime's glm4.5-355B-A32B Megatron arguments (3 dense + 89 MoE layers, 160 experts,
    # moe and shared width 1536, dense 12288, top 8, scaling 2.5, qk-layernorm, qkv bias, rotary 0.5) and agree with
    # the stored third-party copy of GLM-4.6's config.json below. 352.8B without its multi-token-prediction layer
    # (layer 92), which transformers 5.23 does not build (see GLM-4.5-Air above). Chat format: the tokenizer's own.
    {
        "name": "glm-4.5",
        "qk_norm": True,
        "hf_id": "zai-org/GLM-4.5",
        "aliases": ["zai-org/GLM-4.5-Base"],
        "model_type": "glm4_moe",
        "architecture": "Glm4MoeForCausalLM",
        "decoder_layer": "Glm4MoeDecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 92,
        "num_attention_heads": 96,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 1536,
        "vocab_size": 151552,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": True,
        "num_experts": 160,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 352.8,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 1536,
        "shared_expert_gate": False,
        "dense_layers": 3,
        "dense_intermediate_size": 12288,
    },
    # https://huggingface.co/zai-org/GLM-4.6/blob/main/config.json
    # GLM-4.6: GLM-4.5's architecture with a 202752-position context. Read from a stored third-party copy of its
    # config.json fields (a converter's test fixture: Glm4MoeForCausalLM, hidden 5120, 92 layers, first_k_dense_replace
    # 3, 160 experts of 1536, n_shared_experts 1, top 8, routed_scaling_factor 2.5, use_qk_norm, attention_bias,
    # partial_rotary_factor 0.5, 96 / 8 heads of 128, 151552 tokens, untied, num_nextn_predict_layers 1, 202752
    # positions). Its MTP layer is not built by transformers 5.23, as GLM-4.5's. Chat format: the tokenizer's own.
    {
        "name": "glm-4.6",
        "qk_norm": True,
        "hf_id": "zai-org/GLM-4.6",
        "aliases": [],
        "model_type": "glm4_moe",
        "architecture": "Glm4MoeForCausalLM",
        "decoder_layer": "Glm4MoeDecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 92,
        "num_attention_heads": 96,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 1536,
        "vocab_size": 151552,
        "tie_word_embeddings": False,
        "max_position_embeddings": 202752,
        "attention_bias": True,
        "num_experts": 160,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 352.8,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 1536,
        "shared_expert_gate": False,
        "dense_layers": 3,
        "dense_intermediate_size": 12288,
    },
    # https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json
    # DeepSeek-V3 (MoE, 671B without its multi-token-prediction layer / 37B active): 61 layers, the first 3 dense
    # (first_k_dense_replace 3, 18432-wide SwiGLU MLPs), the other 58 sparse: 256 routed experts of width 2048, 8 per
    # token (sigmoid scores, group-limited: n_group 8, topk_group 4), one shared expert of the routed width;
    # multi-head latent attention, 128 heads: q_lora_rank 1536, kv_lora_rank 512, qk_nope_head_dim 128,
    # qk_rope_head_dim 64, v_head_dim 128; 129280-token vocabulary, untied head, 163840 positions (YaRN). Read from
    # stored third-party copies of its config.json fields (two test fixtures of DeepSeek-V3 config parsers, which
    # agree). DeepSeek releases it as an FP8 checkpoint; R1 and V3-0324 / V3.1 share the shapes.
    {
        "name": "deepseek-v3",
        "hf_id": "deepseek-ai/DeepSeek-V3",
        "aliases": [
            "deepseek-ai/DeepSeek-V3-Base",
            "deepseek-ai/DeepSeek-V3-0324",
            "deepseek-ai/DeepSeek-R1",
            "deepseek-ai/DeepSeek-V3.1",
        ],
        "model_type": "deepseek_v3",
        "architecture": "DeepseekV3ForCausalLM",
        "decoder_layer": "DeepseekV3DecoderLayer",
        "hidden_size": 7168,
        "num_hidden_layers": 61,
        "num_attention_heads": 128,
        "num_key_value_heads": 128,
        "head_dim": 192,
        "intermediate_size": 2048,
        "vocab_size": 129280,
        "tie_word_embeddings": False,
        "max_position_embeddings": 163840,
        "attention_bias": False,
        "num_experts": 256,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_a_proj", "q_b_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_b_proj", "kv_b_proj"],
        "params_b": 671.03,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 2048,
        "shared_expert_gate": False,
        "dense_layers": 3,
        "dense_intermediate_size": 18432,
        "kv_lora_rank": 512,
        "q_lora_rank": 1536,
        "qk_rope_head_dim": 64,
        "v_head_dim": 128,
    },
    # https://huggingface.co/moonshotai/Kimi-K2-Instruct/blob/main/config.json
    # Kimi K2 (MoE, 1.03T / 32B active): DeepSeek-V3's architecture (model_type deepseek_v3) with 64 heads, 384
    # routed experts of width 2048 (8 per token, one shared), one dense layer (first_k_dense_replace 1, 18432 wide),
    # q_lora_rank 1536, kv_lora_rank 512, heads 128 + 64 / 128, a 163840-token vocabulary, untied, 131072 positions.
    # Read from a stored third-party copy of its config.json (a model-visualizer's test fixture naming
    # moonshotai/Kimi-K2-Instruct). Released in FP8 (Kimi-K2-Thinking in INT4).
    {
        "name": "kimi-k2",
        "hf_id": "moonshotai/Kimi-K2-Instruct",
        "aliases": ["moonshotai/Kimi-K2-Base", "moonshotai/Kimi-K2-Instruct-0905", "moonshotai/Kimi-K2-Thinking"],
        "model_type": "deepseek_v3",
        "architecture": "DeepseekV3ForCausalLM",
        "decoder_layer": "DeepseekV3DecoderLayer",
        "hidden_size": 7168,
        "num_hidden_layers": 61,
        "num_attention_heads": 64,
        "num_key_value_heads": 64,
        "head_dim": 192,
        "intermediate_size": 2048,
        "vocab_size": 163840,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": 384,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_a_proj", "q_b_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_b_proj", "kv_b_proj"],
        "params_b": 1026.41,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 2048,
        "shared_expert_gate": False,
        "dense_layers": 1,
        "dense_intermediate_size": 18432,
        "kv_lora_rank": 512,
        "q_lora_rank": 1536,
        "qk_rope_head_dim": 64,
        "v_head_dim": 128,
    },
    # https://huggingface.co/moonshotai/Moonlight-16B-A3B/blob/main/config.json
    # Moonlight-16B-A3B (MoE, 16B / 3B active; model_type deepseek_v3, its config names remote code that
    # transformers 5.23 does not need): 27 layers, layer 0 dense (11264 wide), 26 sparse: 64 routed experts of width
    # 1408, 6 per token, two shared experts (a 2816-wide shared MLP); latent attention without a query latent
    # (q_lora_rank null: one q_proj), kv_lora_rank 512, 16 heads of 128 + 64 (values 128); a 163840-token
    # vocabulary, untied, 8192 positions. From stored copies of Megatron argument files for Moonlight (slime's and
    # a Megatron-Core config: 27 layers, hidden 2048, ffn 11264, 16 heads, 64 experts of 1408, 2 shared, top 6, one
    # dense layer, kv channels 128) and the DeepSeek-V3 configuration class's latent widths.
    {
        "name": "moonlight-16b-a3b",
        "hf_id": "moonshotai/Moonlight-16B-A3B",
        "aliases": [],
        "model_type": "deepseek_v3",
        "architecture": "DeepseekV3ForCausalLM",
        "decoder_layer": "DeepseekV3DecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 27,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "head_dim": 192,
        "intermediate_size": 1408,
        "vocab_size": 163840,
        "tie_word_embeddings": False,
        "max_position_embeddings": 8192,
        "attention_bias": False,
        "num_experts": 64,
        "num_experts_per_tok": 6,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "kv_b_proj"],
        "params_b": 15.96,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 2816,
        "shared_expert_gate": False,
        "dense_layers": 1,
        "dense_intermediate_size": 11264,
        "kv_lora_rank": 512,
        "q_lora_rank": 0,
        "qk_rope_head_dim": 64,
        "v_head_dim": 128,
    },
    # https://huggingface.co/zai-org/GLM-4.7-Flash/blob/main/config.json
    # GLM-4.7-Flash (MoE, 30B-A3B; glm4_moe_lite): 47 layers, layer 0 dense (10240 wide), 46 sparse: 64 routed
    # experts of width 1536, 4 per token (sigmoid, routed_scaling_factor 1.8), one shared expert; latent attention
    # with 20 heads: q_lora_rank 768, kv_lora_rank 512, qk_nope_head_dim 192, qk_rope_head_dim 64, v_head_dim 256;
    # a 154880-token vocabulary, untied, 202752 positions. Read from stored third-party copies of its config.json
    # (vLLM's glm4_moe_lite config test and an inference engine's metadata test, which agree).
    {
        "name": "glm-4.7-flash",
        "hf_id": "zai-org/GLM-4.7-Flash",
        "aliases": [],
        "model_type": "glm4_moe_lite",
        "architecture": "Glm4MoeLiteForCausalLM",
        "decoder_layer": "Glm4MoeLiteDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 47,
        "num_attention_heads": 20,
        "num_key_value_heads": 20,
        "head_dim": 256,
        "intermediate_size": 1536,
        "vocab_size": 154880,
        "tie_word_embeddings": False,
        "max_position_embeddings": 202752,
        "attention_bias": False,
        "num_experts": 64,
        "num_experts_per_tok": 4,
        "final_logit_softcapping": None,
        "attention_modules": ["q_a_proj", "q_b_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_b_proj", "kv_b_proj"],
        "params_b": 29.94,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 1536,
        "shared_expert_gate": False,
        "dense_layers": 1,
        "dense_intermediate_size": 10240,
        "kv_lora_rank": 512,
        "q_lora_rank": 768,
        "qk_rope_head_dim": 64,
        "v_head_dim": 256,
    },
    # https://huggingface.co/baidu/ERNIE-4.5-21B-A3B-PT/blob/main/config.json
    # ERNIE-4.5-21B-A3B (MoE, 21B total / 3B active): 28 layers, layer 0 dense (moe_layer_start_index 1,
    # moe_layer_end_index 27, moe_layer_interval 1; a 12288-wide SwiGLU MLP), the other 27 sparse: 64 routed experts
    # of width 1536 (moe_num_experts, moe_intermediate_size), 6 per token (moe_k) by softmax scores with a
    # correction bias on the choice, and 2 shared experts of that width (moe_num_shared_experts 2: one 3072-wide
    # MLP) added without a gate; 20 query / 4 KV heads of 128, no biases (use_bias false), no QK-norm, interleaved
    # RoPE theta 500000, rms_norm_eps 1e-5, 103424-token vocabulary, tied embeddings, 131072 positions. Read from
    # stored third-party copies of its config.json fields (an inference engine's test config and two loaders'
    # fixtures, agreeing on every shape; one gives moe_layer_end_index null, the others 27, both meaning the last
    # layer); they are transformers 5.23's Ernie4_5_MoeConfig defaults (its docstring names this
    # checkpoint) and give the model card's 21B (21.83B). Its multi-token-prediction weights (mtp*) are dropped at
    # load. transformers 5.x stacks the per-expert checkpoint tensors into fused 3-D parameters at load
    # (conversion_mapping maps ernie4_5_moe to qwen2_moe's) and the router is a bare parameter: mlp_modules reach
    # the shared experts and the dense layer. The -Base-PT release has the same shapes. Its chat format has no
    # Axolotl enum value: chatml.
    {
        "name": "ernie-4.5-21b-a3b",
        "hf_id": "baidu/ERNIE-4.5-21B-A3B-PT",
        "aliases": ["baidu/ERNIE-4.5-21B-A3B-Base-PT"],
        "model_type": "ernie4_5_moe",
        "architecture": "Ernie4_5_MoeForCausalLM",
        "decoder_layer": "Ernie4_5_MoeDecoderLayer",
        "hidden_size": 2560,
        "num_hidden_layers": 28,
        "num_attention_heads": 20,
        "num_key_value_heads": 4,
        "head_dim": 128,
        "intermediate_size": 1536,
        "vocab_size": 103424,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": 64,
        "num_experts_per_tok": 6,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 21.83,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 3072,
        "shared_expert_gate": False,
        "dense_layers": 1,
        "dense_intermediate_size": 12288,
    },
    # https://huggingface.co/rednote-hilab/dots.llm1.inst/blob/main/config.json
    # dots.llm1 (MoE, 142B total / 14B active): 62 layers, the first dense (first_k_dense_replace 1, a 10944-wide
    # SwiGLU MLP), the other 61 sparse: 128 routed experts of width 1408 (n_routed_experts, moe_intermediate_size),
    # 6 per token by sigmoid scores plus a per-expert correction bias (norm_topk_prob, routed_scaling_factor 2.5),
    # and 2 shared experts of that width (n_shared_experts 2: one 2816-wide MLP) added without a gate; full
    # multi-head attention (32 query / 32 KV heads of 128, head_dim from hidden / heads), no biases
    # (attention_bias false), per-head QK-norm (Qwen3's attention in transformers 5.23), RoPE theta 1e7,
    # rms_norm_eps 1e-5, 152064-token vocabulary, untied head, 32768 positions, no sliding layers. Read from a
    # stored third-party copy of its config.json fields (an MLX loader's test fixture, "a trimmed
    # dots.llm1.inst-mixed-4-6bit config": hidden 4096, 62 layers, intermediate 10944, 32 / 32 heads, 152064
    # tokens, first_k_dense_replace 1, moe 1408, 128 experts, 2 shared, top 6, scaling 2.5, theta 1e7, sigmoid
    # scoring, no bias, untied); the model card's 142B total / 14B active agree. Module names, the bare-parameter
    # router and the fused experts are transformers 5.23's modeling_dots1; conversion_mapping maps dots1 to
    # qwen2_moe's (the per-expert checkpoint tensors are stacked at load), so PEFT 0.21 would move gate/up/down_proj
    # onto the routed experts (peft_moves_mlp_targets): the entry adapts the attention only. dots.llm1.base has the
    # same shapes. Its own chat format (<|userprompt|> / <|response|>) has no Axolotl enum value: the tokenizer's
    # own template is used.
    {
        "name": "dots.llm1",
        "hf_id": "rednote-hilab/dots.llm1.inst",
        "aliases": ["rednote-hilab/dots.llm1.base"],
        "model_type": "dots1",
        "architecture": "Dots1ForCausalLM",
        "decoder_layer": "Dots1DecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 62,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 128,
        "intermediate_size": 1408,
        "vocab_size": 152064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 32768,
        "attention_bias": False,
        "num_experts": 128,
        "num_experts_per_tok": 6,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 142.77,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 2816,
        "shared_expert_gate": False,
        "dense_layers": 1,
        "dense_intermediate_size": 10944,
    },
    # https://huggingface.co/CohereLabs/North-Mini-Code-1.0/blob/main/config.json
    # North Mini Code 1.0 (Cohere Labs, cohere2_moe; MoE, 30B total / 3B active): 49 layers, the first dense
    # (first_k_dense_replace 1, a 3072-wide SwiGLU: prefix_dense_intermediate_size), the other 48 sparse: 128 routed
    # experts of width 768 (num_experts, intermediate_size), 8 per token by sigmoid scores, not renormalised
    # (expert_selection_fn sigmoid, norm_topk_prob false), no shared expert (num_shared_experts 0). Cohere's parallel
    # block with one RMSNorm a layer (rms_norm_eps 1e-6 given); 32 query / 4 KV heads of 128 (head_dim given, q 4096
    # wide, twice the hidden size), no biases, no QK-norm; layer_types global every fourth layer from layer 0 (13
    # global without RoPE except the dense layer 0, 36 sliding of window 4096 with RoPE theta 5e4); tied 262144-token
    # embeddings (tie_word_embeddings absent: the class default, true; the checkpoint holds no lm_head), 500000
    # positions. No verbatim stored copy of its config.json was found; these fields come from stored third-party
    # copies of it (an MLX serving adapter that refuses an artifact whose config.json differs from "North Mini Code
    # 1.0" in any of them, its test fixture and a second port's pinned copy with rms_norm_eps 1e-6 and
    # layer_norm_eps 1e-5, a C++ and a Rust loader's fixtures), all agreeing, and a stored model table's 30B total,
    # 3B active, 128 experts, 8 active; they give 30.48B. transformers 5.23's conversion_mapping maps cohere2_moe to
    # qwen2_moe's (the per-expert checkpoint tensors are stacked at load), so PEFT 0.21 would move gate/up/down_proj
    # onto the routed experts (peft_moves_mlp_targets): the entry adapts the attention only. Its reasoning chat
    # format has no Axolotl enum value: the tokenizer's own template is used. Apache-2.0 (a stored model table).
    {
        "name": "north-mini-code-1.0",
        "hf_id": "CohereLabs/North-Mini-Code-1.0",
        "aliases": ["north-mini-code"],
        "model_type": "cohere2_moe",
        "architecture": "Cohere2MoeForCausalLM",
        "decoder_layer": "Cohere2MoeDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 49,
        "num_attention_heads": 32,
        "num_key_value_heads": 4,
        "head_dim": 128,
        "intermediate_size": 768,
        "vocab_size": 262144,
        "tie_word_embeddings": True,
        "max_position_embeddings": 500000,
        "attention_bias": False,
        "num_experts": 128,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 30.48,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 0,
        "shared_expert_gate": False,
        "dense_layers": 1,
        "dense_intermediate_size": 3072,
    },
    # https://huggingface.co/LGAI-EXAONE/K-EXAONE-236B-A23B/blob/main/config.json
    # K-EXAONE (LG AI Research, exaone_moe; MoE, 236B total / 23B active): hidden 6144, 64 query / 8 KV heads of 128,
    # per-head QK-norm, sliding-window layers (LLLG: three sliding with RoPE, then one global without), layer 0 dense
    # (first_k_dense_replace 1, a SwiGLU MLP of 18432), the others 128 fused routed experts of width 2048, 8 per
    # token by sigmoid scores with a correction bias (routed_scaling_factor 2.5), plus one shared expert of that
    # width added without a gate; no biases, RoPE theta 1e6, 153600-token vocabulary, untied head, 262144 positions.
    # No verbatim stored copy of its config.json was found; these fields come from a stored inference engine's test
    # fixture of the released config (cut to 4 layers there). The 48 layers are derived: they give the 236B of its
    # name (236.6B). transformers 5.23 converts exaone_moe with qwen2_moe's pattern (per-expert checkpoint tensors
    # stacked at load), so PEFT 0.21 would move gate/up/down_proj onto the routed experts (peft_moves_mlp_targets):
    # the entry adapts the attention only.
    {
        "name": "k-exaone-236b-a23b",
        "hf_id": "LGAI-EXAONE/K-EXAONE-236B-A23B",
        "aliases": ["k-exaone"],
        "model_type": "exaone_moe",
        "architecture": "ExaoneMoeForCausalLM",
        "decoder_layer": "ExaoneMoeDecoderLayer",
        "hidden_size": 6144,
        "num_hidden_layers": 48,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 2048,
        "vocab_size": 153600,
        "tie_word_embeddings": False,
        "max_position_embeddings": 262144,
        "attention_bias": False,
        "num_experts": 128,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 236.57,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 2048,
        "shared_expert_gate": False,
        "dense_layers": 1,
        "dense_intermediate_size": 18432,
    },
    # https://huggingface.co/arcee-ai/Trinity-Mini/blob/main/config.json
    # Trinity Mini (Arcee, afmoe; MoE, 26B total / 3B active): 32 layers, the first 2 dense (num_dense_layers, a SwiGLU
    # MLP of 6144), the other 30 with 128 fused routed experts of width 1024, 8 per token by sigmoid scores with a
    # frozen expert bias (route_norm, route_scale 2.826), plus one shared expert of that width; hidden 2048, 32 query /
    # 4 KV heads of 128, per-head QK-norm, a sigmoid gate on the attention output, four RMSNorms a layer, sliding
    # windows of 2048 with RoPE on three layers in four (global_attn_every_n_layers 4) and global ones without, muP,
    # no biases, RoPE theta 1e4, 200192-token vocabulary, untied head, 131072 positions. They give 26.1B.
    # No verbatim stored copy of its config.json was found; the fields come from stored third-party copies of it (an
    # inference port's test fixture that says it matches the released Trinity-Nano-Preview config.json, with the Mini's
    # differences beside it, and a second loader's Trinity-Mini fixture), which agree with the model cards' totals.
    # transformers 5.23 converts afmoe with qwen2_moe's pattern (per-expert checkpoint tensors stacked at load), so
    # PEFT 0.21 would move gate_proj / up_proj / down_proj, the attention gate's name among them, onto the routed
    # experts (peft_moves_mlp_targets): the entry adapts q/k/v/o only. Apache-2.0, not gated.
    {
        "name": "trinity-mini",
        "hf_id": "arcee-ai/Trinity-Mini",
        "aliases": ["arcee-ai/Trinity-Mini-Base"],
        "model_type": "afmoe",
        "architecture": "AfmoeForCausalLM",
        "decoder_layer": "AfmoeDecoderLayer",
        "hidden_size": 2048,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 4,
        "head_dim": 128,
        "intermediate_size": 1024,
        "vocab_size": 200192,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": 128,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 26.11,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 1024,
        "shared_expert_gate": False,
        "dense_layers": 2,
        "dense_intermediate_size": 6144,
    },
    # https://huggingface.co/arcee-ai/Trinity-Nano-Preview/blob/main/config.json
    # Trinity Nano (Arcee, afmoe; MoE, 6B total / 1B active): Trinity Mini's design at hidden 1024, 56 layers (the first
    # 2 dense, SwiGLU of 3072), 8 query / 2 KV heads of 128, 128 routed experts of width 256, 8 per token, one shared.
    # They give 6.1B.
    # No verbatim stored copy of its config.json was found; the fields come from stored third-party copies of it (an
    # inference port's test fixture that says it matches the released Trinity-Nano-Preview config.json, with the Mini's
    # differences beside it, and a second loader's Trinity-Mini fixture), which agree with the model cards' totals.
    # transformers 5.23 converts afmoe with qwen2_moe's pattern (per-expert checkpoint tensors stacked at load), so
    # PEFT 0.21 would move gate_proj / up_proj / down_proj, the attention gate's name among them, onto the routed
    # experts (peft_moves_mlp_targets): the entry adapts q/k/v/o only. Apache-2.0, not gated.
    {
        "name": "trinity-nano",
        "hf_id": "arcee-ai/Trinity-Nano-Preview",
        "aliases": ["arcee-ai/Trinity-Nano-Base"],
        "model_type": "afmoe",
        "architecture": "AfmoeForCausalLM",
        "decoder_layer": "AfmoeDecoderLayer",
        "hidden_size": 1024,
        "num_hidden_layers": 56,
        "num_attention_heads": 8,
        "num_key_value_heads": 2,
        "head_dim": 128,
        "intermediate_size": 256,
        "vocab_size": 200192,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": 128,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 6.12,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 256,
        "shared_expert_gate": False,
        "dense_layers": 2,
        "dense_intermediate_size": 3072,
    },
    # https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E-Instruct/blob/main/config.json
    # Llama 4 Scout (MoE, 17B active, 16 experts): multimodal as released (Llama4Config, model_type llama4,
    # Llama4ForConditionalGeneration, a 34-layer vision tower of 1408); the text model (text_config, llama4_text) has
    # 48 layers, every one sparse (interleave_moe_layer_step 1, moe_layers 0..47): 16 fused experts of width 8192
    # (num_local_experts, intermediate_size), 1 per token (num_experts_per_tok) by an nn.Linear router whose top
    # logit goes through a sigmoid, plus one shared expert of the same width (Llama4TextMLP, added unscaled; no
    # config field names it); 40 query / 8 KV heads of 128, no biases, a NoPE layer every fourth (no_rope_layers
    # 1,1,1,0,...) with attention temperature tuning (floor_scale 8192, attn_scale 0.1), the RoPE layers in chunks of
    # 8192 (attention_chunk_size) with weightless L2 q/k norms (use_qk_norm true), llama3 RoPE scaling over theta 5e5,
    # rms_norm_eps 1e-5, 202048-token vocabulary, untied head (tie_word_embeddings false), 10485760 positions (the
    # base model's config: 262144). Read from stored copies of its config.json fields: a transformers Llama4Config
    # print-out of Llama-4-Scout-17B-16E (every text_config field above, 262144 positions) and third-party test
    # fixtures of the -Instruct config (10485760 positions); the model card's 109B total counts the vision tower,
    # which AutoModelForCausalLM does not build: the text model is 107.77B. AutoModelForCausalLM loads
    # Llama4ForCausalLM from the text_config (the checkpoint's language_model.* weights; the vision tower is left
    # out); PEFT 0.21 moves no MLP target for llama4_text, so mlp_modules reach the shared expert. Axolotl's
    # chat_template enum has llama4.
    {
        "name": "llama-4-scout-17b-16e",
        "qk_norm": True,
        "hf_id": "meta-llama/Llama-4-Scout-17B-16E-Instruct",
        "aliases": ["meta-llama/Llama-4-Scout-17B-16E", "llama-4-scout"],
        "model_type": "llama4_text",
        "architecture": "Llama4ForCausalLM",
        "decoder_layer": "Llama4TextDecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 48,
        "num_attention_heads": 40,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 8192,
        "vocab_size": 202048,
        "tie_word_embeddings": False,
        "max_position_embeddings": 10485760,
        "attention_bias": False,
        "num_experts": 16,
        "num_experts_per_tok": 1,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 107.77,
        "chat_template": "llama4",
        "size_class": None,
        "license_gated": True,
        "shared_expert_intermediate_size": 8192,
        "shared_expert_gate": False,
    },
    # https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E-Instruct/blob/main/config.json
    # Llama 4 Maverick (MoE, 17B active, 128 experts): Scout's multimodal layout and text shapes (5120 hidden, 48
    # layers, 40 / 8 heads of 128, experts and shared expert of width 8192, top 1, 202048 tokens, untied head) with
    # 128 experts in every other layer (interleave_moe_layer_step 2: moe_layers 1, 3, ..., 47; transformers builds
    # MoE layers at range(step - 1, layers, step)), the other 24 dense SwiGLU MLPs of width 16384
    # (intermediate_size_mlp), no q/k norm (use_qk_norm false), RoPE without scaling, 1048576 positions. Read from a
    # stored copy of its config.json fields (TensorRT-LLM's test config "Llama4 Maverick config but with only 2
    # layers", every text_config field but num_hidden_layers and no_rope_layer_interval, which it changed) and a
    # stored copy of Megatron arguments for Llama-4-Maverick-17B-128E-Instruct (48 layers, moe-layer-freq [0,1]*24,
    # 128 experts, moe width 8192, dense 16384, 40 / 8 heads, untied embeddings); the model card's 400B total agrees
    # (400.71B for the text model). Loads as Scout does; chat template llama4.
    {
        "name": "llama-4-maverick-17b-128e",
        "hf_id": "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
        "aliases": ["meta-llama/Llama-4-Maverick-17B-128E", "llama-4-maverick"],
        "model_type": "llama4_text",
        "architecture": "Llama4ForCausalLM",
        "decoder_layer": "Llama4TextDecoderLayer",
        "hidden_size": 5120,
        "num_hidden_layers": 48,
        "num_attention_heads": 40,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 8192,
        "vocab_size": 202048,
        "tie_word_embeddings": False,
        "max_position_embeddings": 1048576,
        "attention_bias": False,
        "num_experts": 128,
        "num_experts_per_tok": 1,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": ["gate_proj", "up_proj", "down_proj"],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 400.71,
        "chat_template": "llama4",
        "size_class": None,
        "license_gated": True,
        "shared_expert_intermediate_size": 8192,
        "shared_expert_gate": False,
        "dense_layers": 24,
        "dense_intermediate_size": 16384,
    },
    # https://huggingface.co/allenai/FlexOlmo-7x7B-1T/blob/main/config.json
    # FlexOlmo 7x7B-1T (MoE): 32 layers, all sparse; 7 experts of width 11008 (each one OLMo-2-7B MLP: the public
    # expert and six domain experts), 5 routed per token, no shared expert; full multi-head attention (32 query /
    # 32 KV heads of 128) with QK-norm over the whole projections, OLMo 2's post-norms, no biases, 100352-token
    # vocabulary, untied head, 4k context, RoPE theta 500000. No verbatim stored copy of its config.json was found;
    # the fields are transformers 5.23's FlexOlmoConfig defaults (its docstring names this checkpoint), which a
    # stored copy of vLLM's FlexOlmoConfig repeats, and they give the model card's 33B total (33.27B). transformers
    # 5.x stacks the per-expert checkpoint tensors into fused 3-D parameters at load (conversion_mapping maps
    # flex_olmo to qwen2_moe's), and the router is a bare parameter, so no MLP nn.Linear exists for target_modules.
    # The -RT release (router trained) has the same shapes. Its Tulu chat format has no Axolotl enum value: chatml.
    {
        "name": "flexolmo-7x7b-1t",
        "hf_id": "allenai/FlexOlmo-7x7B-1T",
        "aliases": ["allenai/FlexOlmo-7x7B-1T-RT"],
        "model_type": "flex_olmo",
        "architecture": "FlexOlmoForCausalLM",
        "decoder_layer": "FlexOlmoDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 128,
        "intermediate_size": 11008,
        "vocab_size": 100352,
        "tie_word_embeddings": False,
        "max_position_embeddings": 4096,
        "attention_bias": False,
        "num_experts": 7,
        "num_experts_per_tok": 5,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 33.27,
        "chat_template": "chatml",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/MiniMaxAI/MiniMax-M2/blob/main/config.json
    # MiniMax-M2 (MoE, 230B total / 10B active): 62 layers, all sparse, every one full attention (attn_type_list all
    # 1); 256 experts of width 1536, 8 routed per token by sigmoid scores plus a per-expert routing bias, no shared
    # expert (shared_intermediate_size 0); 48 query / 8 KV heads of 128 (q is 6144 wide, twice the hidden size),
    # QK-norm over the whole projections (qk_norm_type per_layer), RoPE on 64 of the 128 head dims (rotary_dim),
    # theta 5e6, no biases, 200064-token vocabulary, untied head, 196608 positions. No verbatim stored copy of its
    # config.json was found; these shapes come from stored third-party copies of its fields (a Go loader's fixture
    # and an inference engine's test, which gives 204800 positions) and from a stored copy of MiniMax-M2.5's
    # config.json (its quantization_config removed), all agreeing, and they match transformers 5.23's
    # MiniMaxM2Config defaults. The released weights are FP8 (128x128 blocks; gate, routing bias and lm_head
    # unquantized); its 3 multi-token-prediction modules are not built by transformers. transformers 5.x stacks the
    # per-expert checkpoint tensors (w1/w2/w3 under block_sparse_moe) into fused 3-D parameters at load, and the
    # router is a bare parameter, so no MLP nn.Linear exists for target_modules. Its own chat format (]~b] role
    # markers, <think> reasoning) has no Axolotl enum value: the tokenizer's own template is used.
    {
        "name": "minimax-m2",
        "hf_id": "MiniMaxAI/MiniMax-M2",
        "aliases": ["MiniMaxAI/MiniMax-M2.5"],
        "model_type": "minimax_m2",
        "architecture": "MiniMaxM2ForCausalLM",
        "decoder_layer": "MiniMaxM2DecoderLayer",
        "hidden_size": 3072,
        "num_hidden_layers": 62,
        "num_attention_heads": 48,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 1536,
        "vocab_size": 200064,
        "tie_word_embeddings": False,
        "max_position_embeddings": 196608,
        "attention_bias": False,
        "num_experts": 256,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 228.69,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
    },
    # https://huggingface.co/upstage/Solar-Open-100B/blob/main/config.json
    # Solar Open 100B (Upstage; MoE, 102.6B total / 12B active): 48 layers, every one sparse (first_k_dense_replace 0;
    # SolarOpenDecoderLayer has no dense MLP anyway): 128 routed experts of width 1280 (n_routed_experts,
    # moe_intermediate_size), 8 per token by sigmoid scores plus a per-expert correction bias (n_group 1, topk_group
    # 1, norm_topk_prob, routed_scaling_factor 1.0), and one shared expert of the same width (n_shared_experts 1)
    # added without a gate; its intermediate_size (10240) sizes nothing. 64 query / 8 KV heads of 128 (q is 8192
    # wide, twice the hidden size), no biases, no QK-norm, full RoPE (partial_rotary_factor 1.0) over theta 1e6 with
    # YaRN x2 from 65536, rms_norm_eps 1e-5, 196608-token vocabulary, untied head, 131072 positions. No verbatim
    # stored copy of its config.json was found; these fields come from stored third-party copies of it (an MLX
    # port's test fixture called a faithful slice of the real file, an architecture write-up's configuration block,
    # a Tenstorrent port's config checks), all agreeing, and match transformers 5.23's SolarOpenConfig defaults
    # (its docstring checkpoint is upstage/Solar-Open-100B) and the model card's 102.6B and 129 experts (128 routed
    # + 1 shared, top 8). transformers 5.x stacks the per-expert checkpoint tensors into fused 3-D parameters at
    # load (conversion_mapping maps solar_open to qwen2_moe's), so PEFT 0.21 would move gate/up/down_proj onto the
    # routed experts (peft_moves_mlp_targets): the entry adapts the attention only. Its own chat format has no
    # Axolotl enum value: the tokenizer's own template is used.
    {
        "name": "solar-open-100b",
        "hf_id": "upstage/Solar-Open-100B",
        "aliases": [],
        "model_type": "solar_open",
        "architecture": "SolarOpenForCausalLM",
        "decoder_layer": "SolarOpenDecoderLayer",
        "hidden_size": 4096,
        "num_hidden_layers": 48,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "intermediate_size": 1280,
        "vocab_size": 196608,
        "tie_word_embeddings": False,
        "max_position_embeddings": 131072,
        "attention_bias": False,
        "num_experts": 128,
        "num_experts_per_tok": 8,
        "final_logit_softcapping": None,
        "attention_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "mlp_modules": [],  # PEFT 0.21 would move gate/up/down_proj onto the routed experts
        "min_modules": ["q_proj", "v_proj"],
        "params_b": 102.65,
        "chat_template": "tokenizer_default",
        "size_class": None,
        "license_gated": False,
        "shared_expert_intermediate_size": 1280,
        "shared_expert_gate": False,
        "dense_layers": 0,
        "dense_intermediate_size": 0,
    },
]
