"""The emulator layer: an in-process moto server, its Glue patches, and the provider override.

from harness.emulator import start_moto, provider_override_hcl

with start_moto() as emulator:
    (root / "zz_emulator_override.tf").write_text(
        provider_override_hcl(emulator.endpoint_url, emulator.region)
    )
"""

from harness.emulator.moto_server import EmulatorStartError, MotoEmulator, start_moto
from harness.emulator.terraform_override import STACK_SERVICES, aws_provider_override_hcl, provider_override_hcl

__all__ = [
    "STACK_SERVICES",
    "EmulatorStartError",
    "MotoEmulator",
    "aws_provider_override_hcl",
    "provider_override_hcl",
    "start_moto",
]
