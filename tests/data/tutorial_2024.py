# A LoRA script in the style of 2024 tutorials: several of these arguments no longer exist.
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainingArguments
from trl import SFTTrainer

model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf", load_in_4bit=True, use_auth_token=True)
tokenizer = AutoTokenizer.from_pretrained("meta-llama/Llama-2-7b-hf")
lora = LoraConfig(r=64, lora_alpha=16, lora_dropout=0.1, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
args = TrainingArguments(
    output_dir="./out",
    num_train_epochs=10,
    per_device_train_batch_size=4,
    gradient_accumulation_steps=1,
    learning_rate=2e-3,
    warmup_ratio=0.0,
    evaluation_strategy="steps",
    fp16=True,
)
trainer = SFTTrainer(
    model=model, args=args, tokenizer=tokenizer, max_seq_length=512, peft_config=lora, dataset_text_field="text"
)
trainer.train()
