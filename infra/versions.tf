terraform {
  required_version = ">= 1.9"

  required_providers {
    # One policy for every root, module and example: what was run. 5.100.0 here (the only version on the
    # development machine) and in CI, whose provider matrix also runs the newest version this allows
    # (scripts/provider_matrix.py). 6.x is accepted once that matrix has run it.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}
