# The network team owns the VPC; we only get its ids.
variable "vpc_id" {
  type    = string
  default = "vpc-0e1f2a3b4c5d60001"
}

variable "glue_subnet_id" {
  type    = string
  default = "subnet-0e1f2a3b4c5d60011"
}

variable "glue_subnet_az" {
  type    = string
  default = "us-east-1b"
}

variable "glue_role_arn" {
  description = "Role created by the platform team's IAM pipeline"
  type        = string
  default     = "arn:aws:iam::123456789012:role/existing-vpc-ids-glue"
}
