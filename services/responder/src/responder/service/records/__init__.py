"""Records management: retention, legal holds, subject access, erasure and FOI export (`civic-inbox records`)."""
