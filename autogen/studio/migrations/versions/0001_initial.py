"""The first Studio schema: models, skills, agents, workflows, sessions and their messages.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "studio_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("api_type", sa.String(length=50), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=True),
        sa.Column("api_key", sa.Text(), nullable=True),
        sa.Column("api_version", sa.String(length=50), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio_model")),
    )
    op.create_table(
        "studio_skill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio_skill")),
    )
    op.create_table(
        "studio_agent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("system_message", sa.Text(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("skill_ids", sa.JSON(), nullable=False),
        sa.Column("human_input_mode", sa.String(length=20), nullable=False),
        sa.Column("max_consecutive_auto_reply", sa.Integer(), nullable=True),
        sa.Column("code_execution", sa.String(length=20), nullable=False),
        sa.Column("timeout", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["studio_model.id"], name=op.f("fk_studio_agent_model_id_studio_model")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio_agent")),
    )
    op.create_table(
        "studio_workflow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("initiator_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("speaker_selection", sa.String(length=20), nullable=False),
        sa.Column("max_rounds", sa.Integer(), nullable=False),
        sa.Column("summary_method", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiator_id"], ["studio_agent.id"], name=op.f("fk_studio_workflow_initiator_id_studio_agent")
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["studio_agent.id"], name=op.f("fk_studio_workflow_manager_id_studio_agent")
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"], ["studio_agent.id"], name=op.f("fk_studio_workflow_receiver_id_studio_agent")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio_workflow")),
    )
    op.create_table(
        "studio_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workflow_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("task", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stop_reason", sa.String(length=50), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["studio_workflow.id"],
            name=op.f("fk_studio_session_workflow_id_studio_workflow"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio_session")),
    )
    op.create_table(
        "studio_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("tool_calls", sa.JSON(), nullable=True),
        sa.Column("tool_responses", sa.JSON(), nullable=True),
        sa.Column("code_blocks", sa.JSON(), nullable=False),
        sa.Column("code_output", sa.Text(), nullable=True),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["studio_session.id"],
            name=op.f("fk_studio_message_session_id_studio_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio_message")),
    )
    with op.batch_alter_table("studio_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_studio_message_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("studio_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_studio_message_session_id"))

    op.drop_table("studio_message")
    op.drop_table("studio_session")
    op.drop_table("studio_workflow")
    op.drop_table("studio_agent")
    op.drop_table("studio_skill")
    op.drop_table("studio_model")
