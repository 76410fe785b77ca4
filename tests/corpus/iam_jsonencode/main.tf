resource "aws_s3_bucket" "data" {
  bucket = "iam-jsonencode-data"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.36.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "glue" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.36.4.0/22"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "glue" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "glue" {
  subnet_id      = aws_subnet.glue.id
  route_table_id = aws_route_table.glue.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.glue.id]
}

resource "aws_security_group" "glue" {
  name   = "iam-jsonencode-glue"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port = 0
    to_port   = 65535
    protocol  = "tcp"
    self      = true
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_glue_connection" "net" {
  name            = "iam-jsonencode-net"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.glue.id
    availability_zone      = "us-east-1a"
    security_group_id_list = [aws_security_group.glue.id]
  }
}

resource "aws_iam_role" "glue" {
  name = "iam-jsonencode-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

# Inline policy built around the bucket ARN: unknown until the bucket exists.
resource "aws_iam_role_policy" "data" {
  name = "iam-jsonencode-data-access"
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.data.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = aws_s3_bucket.data.arn
      },
    ]
  })
}

# A customer managed policy, also around the bucket ARN, that carries the EC2 rights.
resource "aws_iam_policy" "glue_runtime" {
  name = "iam-jsonencode-glue-runtime"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Network"
        Effect   = "Allow"
        Action   = ["ec2:*"]
        Resource = "*"
      },
      {
        Sid      = "Catalog"
        Effect   = "Allow"
        Action   = ["glue:*", "cloudwatch:PutMetricData"]
        Resource = "*"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:aws:logs:*:*:/aws-glue/*"
      },
      {
        Sid      = "Temp"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "${aws_s3_bucket.data.arn}/tmp/*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "glue_runtime" {
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.glue_runtime.arn
}

resource "aws_glue_job" "enrich" {
  name              = "iam-jsonencode-enrich"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.2X"
  number_of_workers = 8
  connections       = [aws_glue_connection.net.name]

  command {
    script_location = "s3://iam-jsonencode-data/scripts/enrich.py"
  }

  default_arguments = {
    "--TempDir" = "s3://iam-jsonencode-data/tmp/"
  }
}
