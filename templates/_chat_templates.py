# --- ftguide's chat templates{% raw %} (templates/_chat_templates.py, copied as is) ---
# Chat templates by the names Axolotl gives them (a profile's chat_template): ftguide's own renderings of
# those formats for plain conversations (system, user, assistant and tool turns with string content; no
# tool calls). Each renders such a conversation exactly as Axolotl's template of that name does (a test
# renders both), so a script applies the same template as the Axolotl config.
_ALTERNATE = (
    "{%- for m in loop_messages %}{%- if (m['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{%- endif %}{%- endfor %}"
)
_SPLIT_SYSTEM = (
    "{%- if messages and messages[0]['role'] == 'system' %}{%- set system = messages[0]['content'] %}"
    "{%- set loop_messages = messages[1:] %}{%- else %}{%- set system = none %}"
    "{%- set loop_messages = messages %}{%- endif %}"
)
_QWEN_TOOL = (
    "{%- elif m['role'] == 'tool' %}"
    "{%- if loop.first or messages[loop.index0 - 1]['role'] != 'tool' %}{{ '<|im_start|>user' }}{%- endif %}"
    "{{ '\n<tool_response>\n' ~ m['content'] ~ '\n</tool_response>' }}"
    "{%- if loop.last or messages[loop.index0 + 1]['role'] != 'tool' %}{{ '<|im_end|>\n' }}{%- endif %}"
)
CHAT_TEMPLATES = {
    "chatml": (
        "{%- for m in messages %}{{ '<|im_start|>' ~ m['role'] ~ '\n' ~ m['content'] ~ '<|im_end|>\n' }}"
        "{%- endfor %}{%- if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{%- endif %}"
    ),
    "llama3": (
        "{%- for m in messages %}{%- if loop.first %}{{ bos_token }}{%- endif %}"
        "{{ '<|start_header_id|>' ~ m['role'] ~ '<|end_header_id|>\n\n' ~ (m['content'] | trim) ~ '<|eot_id|>' }}"
        "{%- endfor %}{%- if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
        "{%- endif %}"
    ),
    "mistral_v1": _SPLIT_SYSTEM
    + _ALTERNATE
    + (
        "{{ bos_token }}{%- for m in loop_messages %}"
        "{%- if m['role'] == 'user' %}{{ ' [INST] ' }}"
        "{%- if loop.first and system is not none %}{{ system ~ '\n\n' }}{%- endif %}{{ m['content'] ~ ' [/INST]' }}"
        "{%- elif m['role'] == 'assistant' %}{{ ' ' ~ m['content'] ~ eos_token }}"
        "{%- else %}{{ raise_exception('Only user and assistant roles are supported after a system message') }}"
        "{%- endif %}{%- endfor %}"
    ),
    "mistral_v2v3": _SPLIT_SYSTEM
    + _ALTERNATE
    + (
        "{{ bos_token }}{%- for m in loop_messages %}"
        "{%- if m['role'] == 'user' %}{{ '[INST] ' }}"
        "{%- if loop.last and system is not none %}{{ system ~ '\n\n' }}{%- endif %}{{ m['content'] ~ '[/INST]' }}"
        "{%- elif m['role'] == 'assistant' %}{{ ' ' ~ (m['content'] | trim) ~ eos_token }}"
        "{%- else %}{{ raise_exception('Only user and assistant roles are supported after a system message') }}"
        "{%- endif %}{%- endfor %}"
    ),
    "mistral_v3_tekken": _SPLIT_SYSTEM
    + _ALTERNATE
    + (
        "{{ bos_token }}{%- for m in loop_messages %}"
        "{%- if m['role'] == 'user' %}{{ '[INST]' }}"
        "{%- if loop.last and system is not none %}{{ system ~ '\n\n' }}{%- endif %}{{ m['content'] ~ '[/INST]' }}"
        "{%- elif m['role'] == 'assistant' %}{{ m['content'] ~ eos_token }}"
        "{%- else %}{{ raise_exception('Only user and assistant roles are supported after a system message') }}"
        "{%- endif %}{%- endfor %}"
    ),
    "gemma": (
        "{{ bos_token }}{%- if messages and messages[0]['role'] == 'system' %}"
        "{{ raise_exception('System role not supported') }}{%- endif %}"
        "{%- set loop_messages = messages %}"
        + _ALTERNATE
        + "{%- for m in messages %}{%- set role = 'model' if m['role'] == 'assistant' else m['role'] %}"
        "{{ '<start_of_turn>' ~ role ~ '\n' ~ (m['content'] | trim) ~ '<end_of_turn>\n' }}{%- endfor %}"
        "{%- if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{%- endif %}"
    ),
    "gemma3": "{{ bos_token }}"
    + _SPLIT_SYSTEM
    + _ALTERNATE
    + (
        "{%- for m in loop_messages %}{%- set role = 'model' if m['role'] == 'assistant' else m['role'] %}"
        "{{ '<start_of_turn>' ~ role ~ '\n' }}{%- if loop.first and system is not none %}{{ system ~ '\n\n' }}"
        "{%- endif %}{{ (m['content'] | trim) ~ '<end_of_turn>\n' }}{%- endfor %}"
        "{%- if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{%- endif %}"
    ),
    "phi_3": (
        "{{ bos_token }}{%- for m in messages %}"
        "{%- if m['role'] == 'system' %}{{ '<|system|>\n' ~ m['content'] ~ '<|end|>\n' }}"
        "{%- elif m['role'] == 'user' %}{{ '<|user|>\n' ~ m['content'] ~ '<|end|>\n<|assistant|>\n' }}"
        "{%- elif m['role'] == 'assistant' %}{{ m['content'] ~ '<|end|>\n' }}{%- endif %}{%- endfor %}"
    ),
    "qwen_25": (
        "{%- if messages and messages[0]['role'] == 'system' %}"
        "{{ '<|im_start|>system\n' ~ messages[0]['content'] ~ '<|im_end|>\n' }}{%- else %}"
        "{{ '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' }}"
        "{%- endif %}{%- for m in messages %}"
        "{%- if m['role'] == 'user' or m['role'] == 'assistant' or (m['role'] == 'system' and not loop.first) %}"
        "{{ '<|im_start|>' ~ m['role'] ~ '\n' ~ m['content'] ~ '<|im_end|>\n' }}"
        + _QWEN_TOOL
        + "{%- endif %}{%- endfor %}{%- if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{%- endif %}"
    ),
    "qwen3": (
        "{%- if messages and messages[0]['role'] == 'system' %}"
        "{{ '<|im_start|>system\n' ~ messages[0]['content'] ~ '<|im_end|>\n' }}{%- endif %}"
        "{%- set ns = namespace(last_query=messages | length - 1, open=true) %}"
        "{%- for m in messages | reverse %}{%- if ns.open and m['role'] == 'user' and not "
        "(m['content'].startswith('<tool_response>') and m['content'].endswith('</tool_response>')) %}"
        "{%- set ns.open = false %}{%- set ns.last_query = messages | length - 1 - loop.index0 %}{%- endif %}"
        "{%- endfor %}{%- for m in messages %}"
        "{%- if m['role'] == 'user' or (m['role'] == 'system' and not loop.first) %}"
        "{{ '<|im_start|>' ~ m['role'] ~ '\n' ~ m['content'] ~ '<|im_end|>\n' }}"
        "{%- elif m['role'] == 'assistant' %}{%- set content = m['content'] %}{%- set thought = '' %}"
        "{%- if '</think>' in content %}"
        "{%- set thought = content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') %}"
        "{%- set content = content.split('</think>')[-1].lstrip('\n') %}{%- endif %}"
        "{%- if loop.index0 > ns.last_query and (loop.last or thought) %}"
        "{{ '<|im_start|>assistant\n<think>\n' ~ thought.strip('\n') ~ '\n</think>\n\n' ~ content.lstrip('\n') }}"
        "{%- else %}{{ '<|im_start|>assistant\n' ~ content }}{%- endif %}{{ '<|im_end|>\n' }}"
        + _QWEN_TOOL
        + "{%- endif %}{%- endfor %}{%- if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
        "{%- if enable_thinking is defined and enable_thinking is false %}{{ '<think>\n\n</think>\n\n' }}"
        "{%- else %}{{ '<think>\n\n' }}{%- endif %}{%- endif %}"
    ),
}
# --- {% endraw %}end of the chat templates ---
