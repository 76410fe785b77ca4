# The group every Glue connection uses. Spark's driver and executors talk on
# ports chosen at run time, so members must reach each other on all TCP ports
# (Glue developer guide, "Setting up network access to data stores"). Without
# the self rule executors fail with "java.net.ConnectException: Connection
# refused" to the driver.
resource "aws_security_group" "glue" {
  #checkov:skip=CKV2_AWS_5:attached by the glue module's connections (security_group_ids), outside this module
  name_prefix = "${var.name}-glue-"
  description = "AWS Glue jobs: driver and executors reach each other on all TCP ports"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-glue" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "glue_self_all_tcp" {
  #checkov:skip=CKV_AWS_24:the source is the group itself (referenced_security_group_id), not 0.0.0.0/0
  #checkov:skip=CKV_AWS_25:the source is the group itself (referenced_security_group_id), not 0.0.0.0/0
  #checkov:skip=CKV_AWS_260:the source is the group itself (referenced_security_group_id), not 0.0.0.0/0
  security_group_id            = aws_security_group.glue.id
  description                  = "Glue driver <-> executors, all TCP ports"
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
  referenced_security_group_id = aws_security_group.glue.id
}

resource "aws_vpc_security_group_egress_rule" "glue_all" {
  count = var.restrict_egress ? 0 : 1

  security_group_id = aws_security_group.glue.id
  description       = "All outbound traffic"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "glue_self_all_tcp" {
  count = var.restrict_egress ? 1 : 0

  security_group_id            = aws_security_group.glue.id
  description                  = "Glue driver <-> executors, all TCP ports"
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
  referenced_security_group_id = aws_security_group.glue.id
}

resource "aws_vpc_security_group_egress_rule" "glue_s3_https" {
  count = var.restrict_egress ? 1 : 0

  security_group_id = aws_security_group.glue.id
  description       = "HTTPS to S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
}

# With restricted egress the jobs still need HTTPS to every AWS API they call
# from the VPC: to the interface endpoints' group whenever endpoints exist (by
# reference, nothing wider), and to anywhere when a NAT gateway is there to
# carry it (the APIs' public addresses are not a fixed list).
resource "aws_vpc_security_group_egress_rule" "glue_endpoints_https" {
  count = var.restrict_egress && length(var.interface_endpoints) > 0 ? 1 : 0

  security_group_id            = aws_security_group.glue.id
  description                  = "HTTPS to the VPC's interface endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints[0].id
}

resource "aws_vpc_security_group_egress_rule" "glue_nat_https" {
  count = var.restrict_egress && var.enable_nat_gateway ? 1 : 0

  security_group_id = aws_security_group.glue.id
  description       = "HTTPS to AWS APIs and the internet through the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}
