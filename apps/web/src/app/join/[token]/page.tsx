import { GuestJoin } from "@/components/guest/guest-join";

export const metadata = { title: "Join a room · Sync Beats" };

export default async function JoinPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <GuestJoin token={decodeURIComponent(token)} />;
}
