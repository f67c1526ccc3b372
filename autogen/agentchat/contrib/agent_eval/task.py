"""Task: what is being evaluated, with an example of a successful and of a failed response."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

__all__ = ["Task"]


class Task(BaseModel):
    """A task to make evaluation criteria for.

    Args:
        name: the task's name.
        description: what the task asks for.
        successful_response: an example response that solves it.
        failed_response: an example response that fails it.
    """

    name: str
    description: str
    successful_response: str
    failed_response: str

    def get_sys_message(self) -> str:
        """The task as the critic and the quantifier read it."""
        return (
            f"Task: {self.name}.\n"
            f"Task description: {self.description}\n"
            f"Task successful example: {self.successful_response}\n"
            f"Task failed example: {self.failed_response}\n"
        )

    @staticmethod
    def parse_json_str(task: str) -> Task:
        """The task of a JSON object with ``name``, ``description``, ``successful_response``, ``failed_response``.

        Raises:
            ValueError: the text is not such an object; the message names what is missing or wrong.
        """
        try:
            return Task.model_validate_json(task)
        except ValidationError as e:
            raise ValueError(
                "a task must be a JSON object with the strings name, description, successful_response and "
                f"failed_response: {e}"
            ) from e
