"""Realistic mistakes in chapter 2's reference solutions that their graders must catch.

Read by tests/test_grader_mistakes.py; the module docstring there says what a row means.
"""

# (exercise id, mistake (for the test id), text in the solution, replacement, checks that must fail)
MISTAKES = [
]
