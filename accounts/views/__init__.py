"""One module per screen: signing up and in, passwords, the members page, joining through an invitation, the
audit trail, deleting the practice."""
