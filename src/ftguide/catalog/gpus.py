"""Accelerator facts the memory estimator and the config suggester use to pick dtypes and kernels.

One entry per card the guide knows by name.  Sources are the vendors' datasheets and architecture
whitepapers for compute and bandwidth, and the ``memory.total`` that ``nvidia-smi`` prints for each card
(seen in many public logs) for memory; the comment above each entry gives that MiB figure.

Conventions:

* ``memory_gib`` is ``nvidia-smi`` memory.total in MiB divided by 1024 (two decimals).  It is a little
  below the marketing size because of ECC and reserved memory; PyTorch's ``total_memory`` is lower still
  by a few hundred MiB on some cards, and the CUDA context takes roughly another 0.3-0.5 GiB at run time.
* ``bf16_tflops`` is peak dense (no 2:4 sparsity) bf16 tensor throughput with fp32 accumulation, or fp16
  for cards without bf16.  GeForce cards run fp32-accumulate matmuls at half their fp16-accumulate rate,
  which is what a training step uses, so their figure is the lower one.
* ``flash_attention`` means FlashAttention-2 kernels exist for the card (NVIDIA sm80 and newer).
* ``fp8`` means fp8 tensor cores usable by the CUDA fp8 training paths (NVIDIA sm89 and newer).
* ``aliases`` are lowercase spellings users type; each alias belongs to exactly one entry and no alias
  repeats a lowercased canonical ``name``.
"""

from __future__ import annotations

GPUS: list[dict[str, object]] = [
    # NVIDIA T4 (Turing, 16 GB GDDR6): nvidia-smi 15360 MiB.  No bf16; 65 TFLOPS is fp16 with fp32 accumulate.
    {
        "name": "T4",
        "aliases": ["tesla t4", "tesla-t4", "nvidia t4", "t4-16gb"],
        "memory_gib": 15.0,
        "compute_capability": "7.5",
        "bf16": False,
        "flash_attention": False,
        "fp8": False,
        "bf16_tflops": 65.0,
        "memory_bandwidth_gbs": 320.0,
        "vendor": "nvidia",
    },
    # NVIDIA V100 16 GB (Volta): nvidia-smi 16160 MiB (SXM2 and PCIe alike).  fp16 tensor figure is the
    # SXM2 one (the PCIe card is rated 112 TFLOPS).
    {
        "name": "V100-16GB",
        "aliases": ["v100", "tesla v100", "v100-16g", "v100 16gb", "v100-sxm2-16gb", "v100-pcie-16gb"],
        "memory_gib": 15.78,
        "compute_capability": "7.0",
        "bf16": False,
        "flash_attention": False,
        "fp8": False,
        "bf16_tflops": 125.0,
        "memory_bandwidth_gbs": 900.0,
        "vendor": "nvidia",
    },
    # NVIDIA V100 32 GB (Volta): nvidia-smi 32510 MiB.  SXM2 figures, as above.
    {
        "name": "V100-32GB",
        "aliases": ["v100-32g", "v100 32gb", "v100-sxm2-32gb", "v100-pcie-32gb"],
        "memory_gib": 31.75,
        "compute_capability": "7.0",
        "bf16": False,
        "flash_attention": False,
        "fp8": False,
        "bf16_tflops": 125.0,
        "memory_bandwidth_gbs": 900.0,
        "vendor": "nvidia",
    },
    # NVIDIA GeForce RTX 3060 12 GB (GA106): nvidia-smi 12288 MiB.  Tensor figure derived from 112 tensor
    # cores at the 1777 MHz boost clock at the GeForce fp32-accumulate rate (approximate).
    {
        "name": "RTX-3060-12GB",
        "aliases": ["3060", "rtx3060", "rtx 3060", "geforce rtx 3060", "rtx-3060"],
        "memory_gib": 12.0,
        "compute_capability": "8.6",
        "bf16": True,
        "flash_attention": True,
        "fp8": False,
        "bf16_tflops": 25.5,
        "memory_bandwidth_gbs": 360.0,
        "vendor": "nvidia",
    },
    # NVIDIA GeForce RTX 3090 (GA102): nvidia-smi 24576 MiB.  71 TFLOPS bf16 with fp32 accumulate (Ampere
    # GA102 whitepaper).
    {
        "name": "RTX-3090",
        "aliases": ["3090", "rtx3090", "rtx 3090", "geforce rtx 3090"],
        "memory_gib": 24.0,
        "compute_capability": "8.6",
        "bf16": True,
        "flash_attention": True,
        "fp8": False,
        "bf16_tflops": 71.0,
        "memory_bandwidth_gbs": 936.0,
        "vendor": "nvidia",
    },
    # NVIDIA GeForce RTX 4060 Ti 16 GB (AD106): nvidia-smi 16380 MiB.  Tensor figure derived from 136 tensor
    # cores at the 2535 MHz boost clock at the GeForce fp32-accumulate rate (approximate).
    {
        "name": "RTX-4060-Ti-16GB",
        "aliases": ["4060 ti", "4060ti", "rtx 4060 ti", "rtx4060ti", "geforce rtx 4060 ti", "4060ti-16gb"],
        "memory_gib": 16.0,
        "compute_capability": "8.9",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 44.1,
        "memory_bandwidth_gbs": 288.0,
        "vendor": "nvidia",
    },
    # NVIDIA GeForce RTX 4070 Ti SUPER (AD103): nvidia-smi 16376 MiB.  Tensor figure derived from 264 tensor
    # cores at the 2610 MHz boost clock at the GeForce fp32-accumulate rate (approximate).
    {
        "name": "RTX-4070-Ti-Super",
        "aliases": ["4070 ti super", "4070tisuper", "rtx 4070 ti super", "rtx4070tisuper", "4070-ti-super"],
        "memory_gib": 15.99,
        "compute_capability": "8.9",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 88.2,
        "memory_bandwidth_gbs": 672.0,
        "vendor": "nvidia",
    },
    # NVIDIA GeForce RTX 4080 (AD103): nvidia-smi 16376 MiB.  97.5 TFLOPS bf16 with fp32 accumulate (Ada
    # whitepaper).
    {
        "name": "RTX-4080",
        "aliases": ["4080", "rtx4080", "rtx 4080", "geforce rtx 4080"],
        "memory_gib": 15.99,
        "compute_capability": "8.9",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 97.5,
        "memory_bandwidth_gbs": 716.8,
        "vendor": "nvidia",
    },
    # NVIDIA GeForce RTX 4090 (AD102): nvidia-smi 24564 MiB.  165.2 TFLOPS bf16 with fp32 accumulate (Ada
    # whitepaper; 330 with fp16 accumulate).
    {
        "name": "RTX-4090",
        "aliases": ["4090", "rtx4090", "rtx 4090", "geforce rtx 4090"],
        "memory_gib": 23.99,
        "compute_capability": "8.9",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 165.2,
        "memory_bandwidth_gbs": 1008.0,
        "vendor": "nvidia",
    },
    # NVIDIA GeForce RTX 5090 (GB202, Blackwell, sm120): nvidia-smi 32607 MiB.  209.5 TFLOPS is the fp32-
    # accumulate rate, half the 419 TFLOPS fp16-accumulate figure (approximate).
    {
        "name": "RTX-5090",
        "aliases": ["5090", "rtx5090", "rtx 5090", "geforce rtx 5090"],
        "memory_gib": 31.84,
        "compute_capability": "12.0",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 209.5,
        "memory_bandwidth_gbs": 1792.0,
        "vendor": "nvidia",
    },
    # NVIDIA A10G (AWS G5 instances, GA102): nvidia-smi 23028 MiB.  NVIDIA publishes no datasheet; 70 TFLOPS
    # bf16 is the commonly quoted figure (approximate), bandwidth as the A10.
    {
        "name": "A10G",
        "aliases": ["nvidia a10g", "aws a10g", "a10g-24gb"],
        "memory_gib": 22.49,
        "compute_capability": "8.6",
        "bf16": True,
        "flash_attention": True,
        "fp8": False,
        "bf16_tflops": 70.0,
        "memory_bandwidth_gbs": 600.0,
        "vendor": "nvidia",
    },
    # NVIDIA A10 (GA102 data-centre card): nvidia-smi 23028 MiB with ECC on (24564 MiB with ECC off).
    {
        "name": "A10",
        "aliases": ["nvidia a10", "a10-24gb", "a10 tensor core"],
        "memory_gib": 22.49,
        "compute_capability": "8.6",
        "bf16": True,
        "flash_attention": True,
        "fp8": False,
        "bf16_tflops": 125.0,
        "memory_bandwidth_gbs": 600.0,
        "vendor": "nvidia",
    },
    # NVIDIA L4 (AD104): nvidia-smi 23034 MiB.  121 TFLOPS bf16 dense (242 with sparsity).
    {
        "name": "L4",
        "aliases": ["nvidia l4", "l4-24gb"],
        "memory_gib": 22.49,
        "compute_capability": "8.9",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 121.0,
        "memory_bandwidth_gbs": 300.0,
        "vendor": "nvidia",
    },
    # NVIDIA L40S (AD102): nvidia-smi 46068 MiB.  362 TFLOPS bf16 dense (733 with sparsity).
    {
        "name": "L40S",
        "aliases": ["nvidia l40s", "l40s-48gb"],
        "memory_gib": 44.99,
        "compute_capability": "8.9",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 362.05,
        "memory_bandwidth_gbs": 864.0,
        "vendor": "nvidia",
    },
    # NVIDIA RTX A6000 (GA102 workstation card): nvidia-smi 49140 MiB with ECC off.  154.8 TFLOPS bf16 dense
    # (309.7 with sparsity).
    {
        "name": "A6000",
        "aliases": ["rtx a6000", "rtx-a6000", "rtxa6000", "nvidia rtx a6000"],
        "memory_gib": 47.99,
        "compute_capability": "8.6",
        "bf16": True,
        "flash_attention": True,
        "fp8": False,
        "bf16_tflops": 154.8,
        "memory_bandwidth_gbs": 768.0,
        "vendor": "nvidia",
    },
    # NVIDIA RTX 6000 Ada Generation (AD102): nvidia-smi 49140 MiB.  364.25 TFLOPS bf16 dense (728.5 with
    # sparsity).
    {
        "name": "RTX-6000-Ada",
        "aliases": ["rtx 6000 ada", "rtx6000ada", "rtx 6000 ada generation", "6000 ada", "rtx6000-ada"],
        "memory_gib": 47.99,
        "compute_capability": "8.9",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 364.25,
        "memory_bandwidth_gbs": 960.0,
        "vendor": "nvidia",
    },
    # NVIDIA A100 40 GB (GA100): nvidia-smi 40960 MiB.  SXM4 bandwidth (PCIe: 1555 GB/s as well).
    {
        "name": "A100-40GB",
        "aliases": ["a100-40g", "a100 40gb", "a100-sxm4-40gb", "a100-pcie-40gb", "a100 40g"],
        "memory_gib": 40.0,
        "compute_capability": "8.0",
        "bf16": True,
        "flash_attention": True,
        "fp8": False,
        "bf16_tflops": 312.0,
        "memory_bandwidth_gbs": 1555.0,
        "vendor": "nvidia",
    },
    # NVIDIA A100 80 GB (GA100): nvidia-smi 81920 MiB (PyTorch reports about 79.2 GiB).  SXM4 bandwidth; the
    # PCIe card has 1935 GB/s.
    {
        "name": "A100-80GB",
        "aliases": [
            "a100",
            "nvidia a100",
            "a100-80g",
            "a100 80gb",
            "a100-sxm4-80gb",
            "a100 80gb pcie",
            "a100 80g",
        ],
        "memory_gib": 80.0,
        "compute_capability": "8.0",
        "bf16": True,
        "flash_attention": True,
        "fp8": False,
        "bf16_tflops": 312.0,
        "memory_bandwidth_gbs": 2039.0,
        "vendor": "nvidia",
    },
    # NVIDIA H100 SXM5 80 GB HBM3 (GH100): nvidia-smi 81559 MiB.  989.4 TFLOPS bf16 dense (1979 with
    # sparsity).
    {
        "name": "H100-80GB",
        "aliases": ["h100", "nvidia h100", "h100-sxm", "h100 sxm", "h100-sxm5", "h100 80gb hbm3", "h100-80g"],
        "memory_gib": 79.65,
        "compute_capability": "9.0",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 989.4,
        "memory_bandwidth_gbs": 3350.0,
        "vendor": "nvidia",
    },
    # NVIDIA H100 PCIe 80 GB HBM2e (GH100): nvidia-smi 81559 MiB.  756.5 TFLOPS bf16 dense (1513 with
    # sparsity).
    {
        "name": "H100-PCIe",
        "aliases": ["h100 pcie", "h100-pcie-80gb", "nvidia h100 pcie"],
        "memory_gib": 79.65,
        "compute_capability": "9.0",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 756.5,
        "memory_bandwidth_gbs": 2000.0,
        "vendor": "nvidia",
    },
    # NVIDIA H200 SXM 141 GB HBM3e (GH100): nvidia-smi 143771 MiB (PyTorch reports about 139.8 GiB).
    # Same compute as the H100 SXM.
    {
        "name": "H200",
        "aliases": ["nvidia h200", "h200-sxm", "h200 sxm", "h200-141gb", "h200 141gb"],
        "memory_gib": 140.4,
        "compute_capability": "9.0",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 989.4,
        "memory_bandwidth_gbs": 4800.0,
        "vendor": "nvidia",
    },
    # NVIDIA B200 (Blackwell, sm100) 180 GB HBM3e as shipped in HGX/DGX B200: nvidia-smi 183359 MiB.
    # 2250 TFLOPS bf16 dense (4.5 PFLOPS with sparsity).
    {
        "name": "B200",
        "aliases": ["nvidia b200", "hgx b200", "b200-180gb", "b200 180gb"],
        "memory_gib": 179.06,
        "compute_capability": "10.0",
        "bf16": True,
        "flash_attention": True,
        "fp8": True,
        "bf16_tflops": 2250.0,
        "memory_bandwidth_gbs": 8000.0,
        "vendor": "nvidia",
    },
    # AMD Instinct MI300X (CDNA 3, gfx942) 192 GB HBM3: rocm-smi VRAM total 205822885888 bytes.  1307.4
    # TFLOPS bf16 dense.  A ROCm port of FlashAttention-2 exists but is not assumed installed, and its fp8
    # formats (e4m3fnuz / e5m2fnuz) are not the ones the CUDA fp8 training paths expect, so both are False.
    {
        "name": "MI300X",
        "aliases": ["mi300", "amd mi300x", "instinct mi300x", "amd instinct mi300x", "mi300x-192gb"],
        "memory_gib": 191.69,
        "compute_capability": None,
        "bf16": True,
        "flash_attention": False,
        "fp8": False,
        "bf16_tflops": 1307.4,
        "memory_bandwidth_gbs": 5300.0,
        "vendor": "amd",
    },
]
