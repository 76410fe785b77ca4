# Glue refuses to start a job in a subnet whose route table has neither an S3
# endpoint nor a NAT route ("Could not find S3 endpoint or NAT gateway for
# subnetId"). The gateway endpoint is free and keeps S3 traffic in the VPC.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = merge(var.tags, { Name = "${var.name}-s3" })
}

# Interface endpoints for the AWS APIs Glue's proxy does not carry. KMS is the
# default: a security configuration that uses KMS needs a route to it from the
# job's subnet, a NAT gateway or a KMS endpoint with private DNS (Glue developer
# guide, "Encrypting data written by AWS Glue" -> "Creating a route to AWS KMS
# for VPC jobs and crawlers"), or runs fail with a kms timeout.
resource "aws_security_group" "endpoints" {
  count = length(var.interface_endpoints) > 0 ? 1 : 0

  name_prefix = "${var.name}-endpoints-"
  description = "HTTPS from the Glue security group to the VPC's interface endpoints"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-endpoints" })

  lifecycle {
    create_before_destroy = true
  }
}

# Admits the Glue group by reference: only the jobs' ENIs reach the endpoints,
# whatever subnets they are in.
resource "aws_vpc_security_group_ingress_rule" "endpoints_https_from_glue" {
  count = length(var.interface_endpoints) > 0 ? 1 : 0

  security_group_id            = aws_security_group.endpoints[0].id
  description                  = "HTTPS from the Glue security group"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.glue.id
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(var.interface_endpoints)

  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type = "Interface"
  # One network interface per private subnet (zone), so every zone's jobs
  # reach the endpoint without crossing zones.
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.endpoints[0].id]
  # The service's public name resolves to the endpoint inside the VPC: jobs
  # and Glue need no endpoint URL configuration.
  private_dns_enabled = true

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}
