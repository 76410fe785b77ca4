variable "db_password" {
  type      = string
  sensitive = true
  default   = "change-me-in-tfvars"
}

resource "aws_db_subnet_group" "orders" {
  name       = "jdbc-secret-nat-orders"
  subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
}

resource "aws_db_instance" "orders" {
  identifier             = "jdbc-secret-nat-orders"
  engine                 = "postgres"
  engine_version         = "15.5"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  db_name                = "orders"
  username               = "etl"
  password               = var.db_password
  db_subnet_group_name   = aws_db_subnet_group.orders.name
  vpc_security_group_ids = [aws_security_group.db.id]
  skip_final_snapshot    = true
}

resource "aws_secretsmanager_secret" "orders_db" {
  name = "jdbc-secret-nat/orders-db"
}
