output "vpc_id" {
  value = aws_vpc.this[0].id
}

output "vpc_cidr_block" {
  value = aws_vpc.this[0].cidr_block
}

output "private_subnets" {
  description = "List of IDs of private subnets"
  value       = aws_subnet.private[*].id
}

output "public_subnets" {
  description = "List of IDs of public subnets"
  value       = aws_subnet.public[*].id
}

output "private_route_table_ids" {
  value = aws_route_table.private[*].id
}

output "azs" {
  value = var.azs
}
