"""What the twin did and what it cost: usage figures, cost, and the questions it could not
answer."""
