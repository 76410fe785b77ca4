# Only for `terraform plan/apply` in this directory. The unit suite plans the
# example as a module of its batched inventory root, with its own provider.
provider "aws" {
  region = "us-east-1"
}
