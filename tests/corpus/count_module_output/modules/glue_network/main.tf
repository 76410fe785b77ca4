variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnets" {
  description = "Subnets Glue may use, in failover order"
  type = list(object({
    id                = string
    availability_zone = string
  }))
}

resource "aws_security_group" "this" {
  name        = "${var.name}-glue"
  description = "Glue connections for ${var.name}"
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "self" {
  type              = "ingress"
  from_port         = 0
  to_port           = 65535
  protocol          = "tcp"
  self              = true
  security_group_id = aws_security_group.this.id
  description       = "Glue components"
}

resource "aws_security_group_rule" "egress" {
  type              = "egress"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.this.id
}

resource "aws_glue_connection" "this" {
  count = length(var.subnets)

  name            = "${var.name}-${count.index}"
  connection_type = "NETWORK"

  physical_connection_requirements {
    subnet_id              = var.subnets[count.index].id
    availability_zone      = var.subnets[count.index].availability_zone
    security_group_id_list = [aws_security_group.this.id]
  }
}

output "connection_names" {
  value = aws_glue_connection.this[*].name
}

output "security_group_id" {
  value = aws_security_group.this.id
}
